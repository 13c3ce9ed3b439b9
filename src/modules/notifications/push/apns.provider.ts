import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { connect, type ClientHttp2Session, constants } from 'node:http2';
import { importPKCS8, SignJWT } from 'jose';
import { AppConfig } from '../../../config/index.js';
import type { PushDeviceRecord } from '../schemas/push-device.schema.js';
import type { PushContent } from './push-content.js';
import { isRetryableStatus, type PushOutcome, PushProvider, retryAfterMs } from './push-provider.js';

/** Apple accepts a provider token for up to an hour and refuses refreshes more often than every 20 minutes. */
const TOKEN_LIFETIME_MS = 45 * 60_000;

interface ApnsResponse {
  status: number;
  reason: string | null;
  retryAfter: string | null;
}

/**
 * APNs over HTTP/2 with a provider token (ES256 JWT signed with jose), a thin client over node:http2.
 * Alert pushes carry the badge and `apns-collapse-id`; VoIP pushes (`apns-push-type: voip`, topic
 * `<bundle>.voip`) are for incoming calls only and expire with the ring timeout.
 */
@Injectable()
export class ApnsProvider extends PushProvider implements OnModuleDestroy {
  readonly platforms = ['apns', 'apns-voip'] as const;
  readonly enabled: boolean;
  private session: ClientHttp2Session | null = null;
  private token: { value: string; issuedAt: number } | null = null;

  constructor(private readonly config: AppConfig) {
    super();
    this.enabled = config.notifications.push.apns !== null;
  }

  onModuleDestroy(): void {
    this.session?.close();
  }

  async send(device: PushDeviceRecord, content: PushContent): Promise<PushOutcome> {
    const apns = this.config.notifications.push.apns;
    if (!apns || !device.token) return { status: 'rejected', reason: 'APNs is off or the device has no token' };
    const voip = device.platform === 'apns-voip';
    if (voip !== content.voip) return { status: 'rejected', reason: 'VoIP pushes are for incoming calls only' };
    const headers: Record<string, string> = {
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: `/3/device/${encodeURIComponent(device.token)}`,
      'content-type': 'application/json',
      'apns-topic': voip ? `${apns.topic}.voip` : apns.topic,
      'apns-push-type': voip ? 'voip' : 'alert',
      'apns-priority': content.urgency === 'high' ? '10' : '5',
      'apns-expiration': String(Math.floor(Date.now() / 1000) + content.ttlSeconds),
    };
    if (!voip) headers['apns-collapse-id'] = content.collapseKey.slice(0, 64);
    const body = JSON.stringify(
      voip
        ? { aps: {}, ...content.data }
        : {
            aps: {
              alert: { title: content.title, body: content.body },
              badge: content.badge,
              sound: 'default',
              'thread-id': content.collapseKey,
            },
            ...content.data,
          },
    );
    let res: ApnsResponse;
    try {
      res = await this.request({ ...headers, authorization: `bearer ${await this.providerToken()}` }, body);
      if (res.status === 403 && res.reason === 'ExpiredProviderToken') {
        this.token = null;
        res = await this.request({ ...headers, authorization: `bearer ${await this.providerToken()}` }, body);
      }
    } catch (err) {
      return { status: 'retry', reason: `APNs unreachable: ${(err as Error).message}`, retryAfterMs: null };
    }
    const reason = `APNs answered ${res.status} ${res.reason ?? ''}`.trim();
    if (res.status === 200) return { status: 'delivered' };
    if (res.status === 410 && res.reason === 'Unregistered') return { status: 'gone', reason };
    if (isRetryableStatus(res.status)) return { status: 'retry', reason, retryAfterMs: retryAfterMs(res.retryAfter) };
    return { status: 'rejected', reason };
  }

  private async providerToken(): Promise<string> {
    if (this.token && Date.now() - this.token.issuedAt < TOKEN_LIFETIME_MS) return this.token.value;
    const apns = this.config.notifications.push.apns!;
    const key = await importPKCS8(apns.key, 'ES256');
    const value = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: apns.keyId })
      .setIssuer(apns.teamId)
      .setIssuedAt()
      .sign(key);
    this.token = { value, issuedAt: Date.now() };
    return value;
  }

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.config.notifications.push.apns!.endpoint);
    session.on('error', () => session.destroy());
    session.on('goaway', () => session.close());
    session.unref();
    this.session = session;
    return session;
  }

  private request(headers: Record<string, string>, body: string): Promise<ApnsResponse> {
    return new Promise((resolve, reject) => {
      const session = this.connection();
      session.ref();
      const req = session.request(headers);
      req.setTimeout(10_000, () => req.close(constants.NGHTTP2_CANCEL));
      let status = 0;
      let retryAfter: string | null = null;
      let data = '';
      req.on('response', (h) => {
        status = Number(h[constants.HTTP2_HEADER_STATUS]);
        retryAfter = typeof h['retry-after'] === 'string' ? h['retry-after'] : null;
      });
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (data += chunk));
      req.on('end', () => {
        session.unref();
        if (status === 0) return reject(new Error('APNs stream closed without a response'));
        resolve({ status, reason: reasonOf(data), retryAfter });
      });
      req.on('error', (err: Error) => {
        session.unref();
        reject(err);
      });
      req.end(body);
    });
  }
}

/** APNs error bodies are `{ "reason": "Unregistered" }`; anything else has no reason. */
function reasonOf(body: string): string | null {
  try {
    return body ? ((JSON.parse(body) as { reason?: string }).reason ?? null) : null;
  } catch {
    return null;
  }
}
