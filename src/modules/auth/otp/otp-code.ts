import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Six digits from the CSPRNG, leading zeros kept. */
export function newOtpCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/**
 * Codes are stored only as an HMAC keyed by a secret derived from JWT_SECRET and bound to the
 * identifier: a Redis dump alone does not reveal them (a plain hash of 6 digits would, in a millisecond).
 */
export function otpHasher(secret: string): (identifier: string, code: string) => string {
  const key = createHmac('sha256', secret).update('otp-code-hash-v1').digest();
  return (identifier, code) => createHmac('sha256', key).update(`${identifier}\n${code}`).digest('hex');
}

/** Constant-time: how many leading characters match must not show in the response time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
