import { Injectable } from '@nestjs/common';
import { importPKCS8, SignJWT } from 'jose';
import { AppConfig } from '../../../config/index.js';
import type { PushDeviceRecord } from '../schemas/push-device.schema.js';
import type { PushContent } from './push-content.js';
import { isRetryableStatus, type PushOutcome, PushProvider, retryAfterMs } from './push-provider.js';

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

interface FcmErrorBody {
  error?: { status?: string; message?: string; details?: Array<{ '@type'?: string; errorCode?: string }> };
}

/** The FCM error code of an HTTP v1 error body (details[].errorCode, else error.status). */
export function fcmErrorCode(body: unknown): string | null {
  const error = (body as FcmErrorBody | null)?.error;
  const detail = error?.details?.find((d) => typeof d.errorCode === 'string');
  return detail?.errorCode ?? error?.status ?? null;
}

/**
 * FCM HTTP v1, a thin client over fetch: an OAuth2 access token from a service-account assertion
 * (RS256, signed with jose, exchanged at the key file's token_uri, cached until shortly before it
 * expires), then `messages:send` with data + notification payloads, android.collapse_key and apns overrides.
 */
@Injectable()
export class FcmProvider extends PushProvider {
  readonly platforms = ['fcm'] as const;
  readonly enabled: boolean;
  private token: { value: string; expiresAt: number } | null = null;

  constructor(private readonly config: AppConfig) {
    super();
    this.enabled = config.notifications.push.fcm !== null;
  }

  async send(device: PushDeviceRecord, content: PushContent): Promise<PushOutcome> {
    const fcm = this.config.notifications.push.fcm;
    if (!fcm || !device.token) return { status: 'rejected', reason: 'FCM is off or the device has no token' };
    let res: Response;
    try {
      res = await this.post(device.token, content);
      if (res.status === 401) {
        this.token = null; // revoked or expired early: one fresh token, then the normal rules
        res = await this.post(device.token, content);
      }
    } catch (err) {
      return { status: 'retry', reason: `FCM unreachable: ${(err as Error).message}`, retryAfterMs: null };
    }
    if (res.ok) return { status: 'delivered' };
    const code = fcmErrorCode(await res.json().catch(() => null));
    const reason = `FCM answered ${res.status} ${code ?? ''}`.trim();
    if (code === 'UNREGISTERED') return { status: 'gone', reason };
    if (isRetryableStatus(res.status) || code === 'UNAVAILABLE' || code === 'INTERNAL' || code === 'QUOTA_EXCEEDED') {
      return { status: 'retry', reason, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) };
    }
    return { status: 'rejected', reason };
  }

  /** The HTTP v1 message: data always; a visible notification except for incoming calls (the app rings itself). */
  static message(token: string, content: PushContent): Record<string, unknown> {
    const apnsExpiration = String(Math.floor(Date.now() / 1000) + content.ttlSeconds);
    return {
      token,
      data: content.data,
      ...(content.voip ? {} : { notification: { title: content.title, body: content.body } }),
      android: {
        collapse_key: content.collapseKey,
        priority: content.urgency === 'high' ? 'HIGH' : 'NORMAL',
        ttl: `${content.ttlSeconds}s`,
        ...(content.voip ? {} : { notification: { tag: content.collapseKey, notification_count: content.badge } }),
      },
      apns: {
        headers: {
          'apns-collapse-id': content.collapseKey,
          'apns-priority': content.urgency === 'high' ? '10' : '5',
          'apns-expiration': apnsExpiration,
        },
        payload: { aps: { badge: content.badge, 'thread-id': content.collapseKey, ...(content.voip ? { 'content-available': 1 } : {}) } },
      },
    };
  }

  private async post(token: string, content: PushContent): Promise<Response> {
    const fcm = this.config.notifications.push.fcm!;
    return fetch(`${fcm.endpoint}/v1/projects/${encodeURIComponent(fcm.projectId)}/messages:send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await this.accessToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: FcmProvider.message(token, content) }),
      signal: AbortSignal.timeout(10_000),
    });
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return this.token.value;
    const fcm = this.config.notifications.push.fcm!;
    const key = await importPKCS8(fcm.privateKey, 'RS256');
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(fcm.clientEmail)
      .setSubject(fcm.clientEmail)
      .setAudience(fcm.tokenUri)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
    const res = await fetch(fcm.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`FCM token endpoint answered ${res.status}`);
    const body = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new Error('FCM token endpoint returned no access_token');
    this.token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
    return this.token.value;
  }
}
