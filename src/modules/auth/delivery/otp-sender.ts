import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../../config/index.js';
import type { Redis } from '../../../core/redis/redis.module.js';
import type { IdentifierType } from '../../users/index.js';
import { LogOtpDelivery } from './log.delivery.js';
import { OtpDelivery, type OtpMessage } from './otp-delivery.js';
import { SmtpOtpDelivery } from './smtp.delivery.js';
import { TestOtpDelivery } from './test.delivery.js';
import { TwilioOtpDelivery } from './twilio.delivery.js';

export const OTP_DELIVERIES = Symbol('OTP_DELIVERIES');
const RETRY_DELAYS_MS = [1000, 4000];

/** Builds the deliveries OTP_DELIVERY lists, in its order (the first that supports a channel is used). */
export function createDeliveries(config: AppConfig, redis: Redis): OtpDelivery[] {
  const d = config.auth.delivery;
  return d.kinds.map((kind) => {
    switch (kind) {
      case 'log':
        return new LogOtpDelivery(config.env === 'development');
      case 'test':
        return new TestOtpDelivery(redis, config.redis.prefix);
      case 'smtp':
        return new SmtpOtpDelivery(d.smtpUrl ?? '', d.mailFrom);
      case 'twilio':
        if (!d.twilio) throw new Error('twilio delivery without TWILIO_* settings');
        return new TwilioOtpDelivery(d.twilio);
    }
  });
}

/**
 * Sends codes in the background so the HTTP answer (and its timing) never depends on the provider,
 * retries failures, and logs them without the code. Shutdown waits for sends in flight.
 */
@Injectable()
export class OtpSender implements OnApplicationShutdown {
  private readonly logger = new Logger(OtpSender.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(@Inject(OTP_DELIVERIES) private readonly deliveries: OtpDelivery[]) {}

  /** The delivery for a phone or an email, or null when none is configured (the caller answers 503). */
  deliveryFor(type: IdentifierType): OtpDelivery | null {
    return this.deliveries.find((d) => d.supports(type)) ?? null;
  }

  sendInBackground(delivery: OtpDelivery, message: OtpMessage): void {
    const p = this.sendWithRetries(delivery, message).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async sendWithRetries(delivery: OtpDelivery, message: OtpMessage): Promise<void> {
    const meta = { delivery: delivery.name, to: mask(message.to.value) };
    for (let attempt = 0; ; attempt++) {
      try {
        await delivery.send(message);
        return;
      } catch (err) {
        // Provider errors may quote the message: keep the code and the full address out of the log.
        const reason =
          err instanceof Error ? err.message.replaceAll(message.code, '******').replaceAll(message.to.value, meta.to) : 'unknown error';
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          this.logger.error({ ...meta, attempts: attempt + 1, reason }, 'OTP delivery failed, giving up');
          return;
        }
        this.logger.warn({ ...meta, attempt: attempt + 1, reason }, 'OTP delivery failed, retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    for (const d of this.deliveries) if (d instanceof SmtpOtpDelivery) d.close();
  }
}

/** Enough of an identifier to correlate log lines, not enough to harvest addresses from logs. */
export function mask(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value.slice(0, 1)}***${value.slice(at)}`;
  return `${value.slice(0, 4)}***${value.slice(-2)}`;
}
