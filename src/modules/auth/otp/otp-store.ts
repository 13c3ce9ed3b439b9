import { Inject, Injectable } from '@nestjs/common';
import { RedisFactory } from '../../../core/redis/index.js';
import { REDIS, type Redis } from '../../../core/redis/redis.module.js';

/** Why a code is being asked for: signing in, or linking a second identifier to an account. */
export type OtpPurpose = { kind: 'sign_in' } | { kind: 'link'; userId: string };

export type AttemptResult =
  { state: 'live'; hash: string; attempts: number; expiresAt: number } | { state: 'missing' | 'used' | 'burned' | 'exhausted' };

// Reserves one attempt before the comparison: concurrent guesses all count, so at most
// OTP_MAX_ATTEMPTS comparisons ever run against one code, whatever the concurrency. Running out does
// not flip the state here: attempts still in flight may hold the right code (the caller burns the
// code once a wrong guess used the last attempt).
const RESERVE = `
local st = redis.call('HGET', KEYS[1], 'st')
if not st then return {'missing'} end
if st ~= 'live' then return {st} end
local a = tonumber(redis.call('HGET', KEYS[1], 'a'))
if a >= tonumber(ARGV[1]) then return {'exhausted'} end
a = redis.call('HINCRBY', KEYS[1], 'a', 1)
return {'live', redis.call('HGET', KEYS[1], 'h'), tostring(a), redis.call('HGET', KEYS[1], 'exp')}
`;

// Single use: only the first verify of a matching, still-live code flips it to used.
const CONSUME = `
if redis.call('HGET', KEYS[1], 'st') ~= 'live' then return 0 end
if redis.call('HGET', KEYS[1], 'h') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'st', 'used')
return 1
`;

const BURN = `
if redis.call('HGET', KEYS[1], 'st') == 'live' and redis.call('HGET', KEYS[1], 'h') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'st', 'burned')
end
return 1
`;

/**
 * Live codes in Redis, one hash per (purpose, identifier): a new request overwrites it, so only the
 * newest code is live. Fields: h (HMAC of the code), exp (ms), a (attempts), st (live|used|burned).
 * The key outlives the code by an hour so "expired" and "burned" can still be told apart from "never
 * requested"; expiry is enforced from `exp` at verify time.
 */
@Injectable()
export class OtpStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
  ) {}

  private key(purpose: OtpPurpose, identifier: string): string {
    return purpose.kind === 'sign_in'
      ? this.keys.key('auth', 'otp', 'sign_in', identifier)
      : this.keys.key('auth', 'otp', 'link', purpose.userId, identifier);
  }

  async put(purpose: OtpPurpose, identifier: string, hash: string, ttlSeconds: number): Promise<void> {
    const key = this.key(purpose, identifier);
    await this.redis
      .multi()
      .del(key)
      .hset(key, { h: hash, exp: String(Date.now() + ttlSeconds * 1000), a: '0', st: 'live' })
      .expire(key, ttlSeconds + 3600)
      .exec();
  }

  async reserveAttempt(purpose: OtpPurpose, identifier: string, maxAttempts: number): Promise<AttemptResult> {
    const r = (await this.redis.eval(RESERVE, 1, this.key(purpose, identifier), maxAttempts)) as string[];
    if (r[0] !== 'live') return { state: r[0] as 'missing' | 'used' | 'burned' | 'exhausted' };
    return { state: 'live', hash: r[1], attempts: Number(r[2]), expiresAt: Number(r[3]) };
  }

  async consume(purpose: OtpPurpose, identifier: string, hash: string): Promise<boolean> {
    return (await this.redis.eval(CONSUME, 1, this.key(purpose, identifier), hash)) === 1;
  }

  /** After the last allowed wrong guess; a no-op when the code was used or replaced meanwhile. */
  async burn(purpose: OtpPurpose, identifier: string, hash: string): Promise<void> {
    await this.redis.eval(BURN, 1, this.key(purpose, identifier), hash);
  }
}
