import { describe, expect, it } from 'vitest';
import { newOtpCode, otpHasher, sameHash } from './otp-code.js';

describe('OTP codes', () => {
  it('are six digits', () => {
    for (let i = 0; i < 200; i++) expect(newOtpCode()).toMatch(/^\d{6}$/);
  });

  it('hash per secret and identifier, and compare in constant time', () => {
    const hash = otpHasher('s'.repeat(32));
    const h = hash('+447400123456', '012345');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(sameHash(h, hash('+447400123456', '012345'))).toBe(true);
    expect(sameHash(h, hash('+447400123457', '012345'))).toBe(false);
    expect(sameHash(h, otpHasher('t'.repeat(32))('+447400123456', '012345'))).toBe(false);
    expect(sameHash(h, '')).toBe(false);
  });
});
