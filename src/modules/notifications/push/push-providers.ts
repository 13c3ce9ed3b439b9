import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError } from '@app/common';
import type { PushDeviceRecord, PushPlatform } from '../schemas/push-device.schema.js';
import { ApnsProvider } from './apns.provider.js';
import { FcmProvider } from './fcm.provider.js';
import type { PushContent } from './push-content.js';
import type { PushOutcome, PushProvider } from './push-provider.js';
import { WebPushProvider } from './web-push.provider.js';

/** The provider of each platform. */
@Injectable()
export class PushProviders {
  private readonly byPlatform: Map<PushPlatform, PushProvider>;

  constructor(
    readonly web: WebPushProvider,
    fcm: FcmProvider,
    apns: ApnsProvider,
  ) {
    this.byPlatform = new Map([web, fcm, apns].flatMap((p) => p.platforms.map((platform) => [platform, p] as const)));
  }

  enabled(platform: PushPlatform): boolean {
    return this.byPlatform.get(platform)?.enabled ?? false;
  }

  /** Registration of a device whose provider is off is refused with a clear error. */
  requireEnabled(platform: PushPlatform): void {
    if (!this.enabled(platform)) {
      throw new AppError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'push_provider_disabled',
        `Push platform ${platform} is not configured on this server`,
      );
    }
  }

  send(device: PushDeviceRecord, content: PushContent): Promise<PushOutcome> {
    const provider = this.byPlatform.get(device.platform);
    if (!provider?.enabled) return Promise.resolve({ status: 'rejected', reason: `${device.platform} is off` });
    return provider.send(device, content);
  }
}
