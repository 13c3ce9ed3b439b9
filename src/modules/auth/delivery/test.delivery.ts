import type { Redis } from 'ioredis';
import { OtpDelivery, type OtpMessage } from './otp-delivery.js';

/** Redis key under which the test delivery records the newest code sent to an identifier. */
export const testOutboxKey = (prefix: string, identifier: string): string => `${prefix}:auth:test-outbox:${identifier}`;

/**
 * NODE_ENV=test only (config refuses it otherwise): records each code in Redis under the suite's
 * prefix so test helpers (signUp in @app/testing) can read it, from this or another api process.
 */
export class TestOtpDelivery extends OtpDelivery {
  readonly name = 'test';

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  supports(): boolean {
    return true;
  }

  async send({ to, code }: OtpMessage): Promise<void> {
    await this.redis.set(testOutboxKey(this.prefix, to.value), code, 'EX', 3600);
  }
}
