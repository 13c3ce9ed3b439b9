import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS, type Redis } from '../redis/redis.module.js';
import { RedisFactory } from '../redis/index.js';

export type WindowVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

// Count and window in one script, so requests arriving at several api processes at once cannot all
// slip under the budget. Fixed window starting at the first request (the OTP limiter's approach).
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n <= tonumber(ARGV[1]) then return {1, 0} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) ttl = tonumber(ARGV[2]) end
return {0, ttl}`;

/**
 * A request budget per key and fixed window, kept in Redis and so shared by every api process. Fails
 * open: while Redis is away the budget is not enforced (the request itself reports the outage if it
 * needs Redis), because refusing everyone for a limiter's sake would turn a Redis blip into an outage.
 */
@Injectable()
export class RedisWindowLimiter {
  private readonly logger = new Logger(RedisWindowLimiter.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
  ) {}

  async hit(key: string, budget: number, windowMs: number): Promise<WindowVerdict> {
    try {
      const [allowed, ttl] = (await this.redis.eval(HIT, 1, this.keys.key('rl', key), budget, windowMs)) as [number, number];
      return allowed === 1 ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'rate limit unavailable: request allowed');
      return { ok: true };
    }
  }
}
