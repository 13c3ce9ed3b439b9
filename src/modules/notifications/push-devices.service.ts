import { HttpStatus, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppError } from '@app/common';
import { AppConfig } from '../../config/index.js';
import { PushDevicesRepository } from './push-devices.repository.js';
import { checkPushEndpoint } from './push/endpoint-guard.js';
import { PushProviders } from './push/push-providers.js';
import type { PushDeviceRecord, PushPlatform, WebPushSubscription } from './schemas/push-device.schema.js';

export interface PushDeviceView {
  id: string;
  platform: PushPlatform;
  /** Web: the push service's origin (never the full endpoint, a capability URL). */
  endpointOrigin: string | null;
  expirationTime: number | null;
  createdAt: string;
  updatedAt: string;
}

/** One id per (platform, token or endpoint): registering again is idempotent. */
export function deviceIdFor(platform: PushPlatform, key: string): string {
  return createHash('sha256').update(`${platform}|${key}`).digest('hex').slice(0, 24);
}

const invalid = (field: string, message: string): AppError =>
  new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', message, { fields: { [field]: [message] } });

/** POST/GET/DELETE /push/devices. */
@Injectable()
export class PushDevicesService {
  constructor(
    private readonly repo: PushDevicesRepository,
    private readonly providers: PushProviders,
    private readonly config: AppConfig,
  ) {}

  async register(
    user: { userId: string; sessionId: string },
    input: { platform: PushPlatform; token?: string; subscription?: WebPushSubscription },
  ): Promise<{ device: PushDeviceView; created: boolean }> {
    this.providers.requireEnabled(input.platform);
    let id: string;
    if (input.platform === 'web') {
      const sub = input.subscription;
      if (!sub || input.token) throw invalid('subscription', 'web devices give subscription (PushSubscription.toJSON()), not token');
      if (sub.expirationTime !== null && sub.expirationTime <= Date.now()) throw invalid('subscription', 'subscription has expired');
      const verdict = await checkPushEndpoint(sub.endpoint, this.config.notifications.push.allowPrivateEndpoints);
      if (!verdict.ok) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_push_endpoint', `Refused push endpoint: ${verdict.reason}`);
      id = deviceIdFor('web', sub.endpoint);
    } else {
      if (!input.token || input.subscription) throw invalid('token', `${input.platform} devices give token, not subscription`);
      id = deviceIdFor(input.platform, input.token);
    }
    const existed = await this.repo.findById(id);
    const device = await this.repo.upsert({
      _id: id,
      userId: user.userId,
      sessionId: user.sessionId,
      platform: input.platform,
      token: input.platform === 'web' ? null : (input.token ?? null),
      subscription: input.platform === 'web' ? normaliseSubscription(input.subscription!) : null,
    });
    // A browser that rotated its subscription registers the new one from the same session: the old one goes.
    if (input.platform === 'web') await this.repo.deleteOtherWebOfSession(user.userId, user.sessionId, id);
    return { device: view(device), created: !existed || existed.userId.toHexString() !== user.userId };
  }

  async list(userId: string): Promise<PushDeviceView[]> {
    return (await this.repo.listOf(userId)).map(view);
  }

  async remove(userId: string, id: string): Promise<void> {
    if (!/^[0-9a-f]{24}$/.test(id) || !(await this.repo.deleteOwned(userId, id))) {
      throw new AppError(HttpStatus.NOT_FOUND, 'push_device_not_found', 'Push device not found');
    }
  }

  vapidPublicKey(): string {
    const key = this.providers.web.publicKey;
    if (!key) throw new AppError(HttpStatus.NOT_FOUND, 'push_provider_disabled', 'Web Push is not configured on this server');
    return key;
  }
}

function normaliseSubscription(sub: WebPushSubscription): WebPushSubscription {
  return { endpoint: sub.endpoint, expirationTime: sub.expirationTime ?? null, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth } };
}

function view(d: PushDeviceRecord): PushDeviceView {
  return {
    id: d._id,
    platform: d.platform,
    endpointOrigin: d.subscription ? new URL(d.subscription.endpoint).origin : null,
    expirationTime: d.subscription?.expirationTime ?? null,
    createdAt: new Date(d.createdAt).toISOString(),
    updatedAt: new Date(d.updatedAt).toISOString(),
  };
}
