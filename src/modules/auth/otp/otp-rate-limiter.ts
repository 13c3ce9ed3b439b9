import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/index.js';
import { RedisFactory } from '../../../core/redis/index.js';
import { REDIS, type Redis } from '../../../core/redis/redis.module.js';

export type RateLimitResult = { ok: true } | { ok: false; reason: 'cooldown' | 'identifier' | 'ip'; retryAfterMs: number };

// All checks and increments in one script, so two api processes (or two requests) cannot both slip
// under a limit. Hourly windows are fixed, starting at the first request.
const ACQUIRE = `
local cd = redis.call('PTTL', KEYS[1])
if cd > 0 then return {'cooldown', cd} end
local idc = tonumber(redis.call('GET', KEYS[2]) or '0')
if idc >= tonumber(ARGV[2]) then return {'identifier', redis.call('PTTL', KEYS[2])} end
local ipc = tonumber(redis.call('GET', KEYS[3]) or '0')
if ipc >= tonumber(ARGV[3]) then return {'ip', redis.call('PTTL', KEYS[3])} end
if tonumber(ARGV[1]) > 0 then redis.call('SET', KEYS[1], '1', 'EX', ARGV[1]) end
if redis.call('INCR', KEYS[2]) == 1 then redis.call('EXPIRE', KEYS[2], 3600) end
if redis.call('INCR', KEYS[3]) == 1 then redis.call('EXPIRE', KEYS[3], 3600) end
return {'ok', 0}
`;

/** Redis keys of the per-identifier limits (the test helper clears them to sign one identifier in repeatedly). */
export const otpIdentifierLimitKeys = (prefix: string, identifier: string): [cooldown: string, hourly: string] => [
  `${prefix}:auth:otp-cooldown:${identifier}`,
  `${prefix}:auth:otp-hourly:id:${identifier}`,
];

/** Resend cooldown and hourly limits per identifier and per client IP, kept in Redis (shared by every api process). */
@Injectable()
export class OtpRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
    private readonly config: AppConfig,
  ) {}

  async acquire(identifier: string, ip: string): Promise<RateLimitResult> {
    const { resendCooldownSeconds, hourlyLimitPerIdentifier, hourlyLimitPerIp } = this.config.auth.otp;
    const [cooldownKey, hourlyKey] = otpIdentifierLimitKeys(this.config.redis.prefix, identifier);
    const r = (await this.redis.eval(
      ACQUIRE,
      3,
      cooldownKey,
      hourlyKey,
      this.keys.key('auth', 'otp-hourly', 'ip', ip),
      resendCooldownSeconds,
      hourlyLimitPerIdentifier,
      hourlyLimitPerIp,
    )) as [string, number];
    if (r[0] === 'ok') return { ok: true };
    return { ok: false, reason: r[0] as 'cooldown' | 'identifier' | 'ip', retryAfterMs: Math.max(1000, Number(r[1])) };
  }
}
