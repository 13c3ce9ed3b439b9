import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent } from 'node:https';
import type { LookupFunction } from 'node:net';
import webpush, { WebPushError } from 'web-push';
import { AppConfig } from '../../../config/index.js';
import type { PushDeviceRecord } from '../schemas/push-device.schema.js';
import { checkPushEndpoint, isPrivateAddress } from './endpoint-guard.js';
import type { PushContent } from './push-content.js';
import { isRetryableStatus, type PushOutcome, PushProvider, retryAfterMs } from './push-provider.js';

/** RFC 8030 Topic: at most 32 characters of the URL-safe base64 alphabet; longer keys are hashed into one. */
export function webPushTopic(collapseKey: string): string {
  return /^[A-Za-z0-9_-]{1,32}$/.test(collapseKey)
    ? collapseKey
    : createHash('sha256').update(collapseKey).digest('base64url').slice(0, 32);
}

/**
 * Resolves like dns.lookup but refuses private addresses at connect time, so a host that resolved to
 * a public address at registration cannot be re-pointed at the internal network later (DNS rebinding).
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const allowed = addresses.filter((a) => !isPrivateAddress(a.address));
    if (allowed.length === 0) return callback(new Error(`push endpoint ${hostname} resolves to a private address`), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
    callback(null, allowed[0].address, allowed[0].family);
  });
};

/** Web Push (RFC 8030/8291/8292) through the `web-push` package: aes128gcm body, VAPID JWT, TTL/Urgency/Topic. */
@Injectable()
export class WebPushProvider extends PushProvider {
  readonly platforms = ['web'] as const;
  readonly enabled: boolean;
  private readonly agent: Agent;

  constructor(private readonly config: AppConfig) {
    super();
    this.enabled = config.notifications.push.webPush !== null;
    const allowPrivate = config.notifications.push.allowPrivateEndpoints;
    this.agent = new Agent({ keepAlive: true, ...(allowPrivate ? {} : { lookup: publicOnlyLookup }) });
  }

  get publicKey(): string | null {
    return this.config.notifications.push.webPush?.publicKey ?? null;
  }

  async send(device: PushDeviceRecord, content: PushContent): Promise<PushOutcome> {
    const vapid = this.config.notifications.push.webPush;
    const sub = device.subscription;
    if (!vapid || !sub) return { status: 'rejected', reason: 'web push is off or the device has no subscription' };
    const verdict = await checkPushEndpoint(sub.endpoint, this.config.notifications.push.allowPrivateEndpoints);
    if (!verdict.ok) return { status: 'gone', reason: verdict.reason };
    const payload = JSON.stringify({
      title: content.title,
      body: content.body,
      tag: content.collapseKey,
      badge: content.badge,
      data: content.data,
    });
    try {
      await webpush.sendNotification({ endpoint: sub.endpoint, keys: sub.keys }, payload, {
        vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
        TTL: content.ttlSeconds,
        urgency: content.urgency,
        topic: webPushTopic(content.collapseKey),
        contentEncoding: 'aes128gcm',
        timeout: 10_000,
        agent: this.agent,
      });
      return { status: 'delivered' };
    } catch (err) {
      if (!(err instanceof WebPushError)) return { status: 'retry', reason: (err as Error).message, retryAfterMs: null };
      const reason = `web push answered ${err.statusCode}`;
      if (err.statusCode === 404 || err.statusCode === 410) return { status: 'gone', reason };
      if (isRetryableStatus(err.statusCode)) {
        const header = (err.headers as Record<string, string | undefined>)['retry-after'];
        return { status: 'retry', reason, retryAfterMs: retryAfterMs(header) };
      }
      return { status: 'rejected', reason };
    }
  }
}
