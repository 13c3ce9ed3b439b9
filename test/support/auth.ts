import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { REDIS, type Redis } from '../../src/core/redis/redis.module.js';
import { testOutboxKey } from '../../src/modules/auth/delivery/test.delivery.js';
import { otpIdentifierLimitKeys } from '../../src/modules/auth/otp/otp-rate-limiter.js';
import { normaliseIdentifier } from '../../src/modules/users/identifier.js';
import type { TestApi } from './test-app.js';

export interface SignedUpUser {
  userId: string;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  /** The identifier in canonical form (E.164 or lower-case email). */
  identifier: string;
}

/** A fresh, unique email address for a test user. */
export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomBytes(6).toString('hex')}@example.com`;
}

/** A random client address, so the per-IP hourly OTP limit never trips in suites that sign many users up. */
export function randomClientIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/**
 * The newest code the test delivery (OTP_DELIVERY=test, the default under NODE_ENV=test) recorded for
 * `identifier` (canonical form), consumed so a later call waits for the next code. Deliveries run in
 * the background, so this polls briefly.
 */
export async function readOtp(api: TestApi, identifier: string, timeoutMs = 5000): Promise<string> {
  const redis = api.app.get<Redis>(REDIS);
  const key = testOutboxKey(api.env.REDIS_PREFIX, identifier);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const code = await redis.getdel(key);
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no OTP recorded for ${identifier} (is OTP_DELIVERY=test?)`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Signs a user in through the real routes (POST /auth/otp/request, then /auth/otp/verify with the code
 * the test delivery recorded). A new user with a unique email unless `identifier` is given; with one,
 * its per-identifier OTP limits are cleared first so the same person can sign in on several devices.
 */
export async function signUp(api: TestApi, options: { identifier?: string; deviceName?: string } = {}): Promise<SignedUpUser> {
  const raw = options.identifier ?? uniqueEmail();
  const normalised = normaliseIdentifier(raw);
  if (!normalised.ok) throw new Error(`signUp: ${raw}: ${normalised.reason}`);
  const identifier = normalised.identifier.value;
  // Signing one identifier in again (a second device) must not trip its resend cooldown or hourly limit.
  if (options.identifier) await api.app.get<Redis>(REDIS).del(...otpIdentifierLimitKeys(api.env.REDIS_PREFIX, identifier));
  const requested = await request(api.url).post('/auth/otp/request').set('X-Forwarded-For', randomClientIp()).send({ identifier });
  if (requested.status !== 202) throw new Error(`signUp: otp/request answered ${requested.status} ${JSON.stringify(requested.body)}`);
  const code = await readOtp(api, identifier);
  const verified = await request(api.url)
    .post('/auth/otp/verify')
    .send({ identifier, code, ...(options.deviceName ? { deviceName: options.deviceName } : {}) });
  if (verified.status !== 200) throw new Error(`signUp: otp/verify answered ${verified.status} ${JSON.stringify(verified.body)}`);
  const body = verified.body as { accessToken: string; refreshToken: string; user: { id: string } };
  const payload = JSON.parse(Buffer.from(body.accessToken.split('.')[1], 'base64url').toString()) as { sid: string };
  return { userId: body.user.id, sessionId: payload.sid, accessToken: body.accessToken, refreshToken: body.refreshToken, identifier };
}
