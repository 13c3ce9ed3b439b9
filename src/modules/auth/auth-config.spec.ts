import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/app', REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: 'x'.repeat(32) };

describe('auth configuration', () => {
  it('has the documented defaults', () => {
    const { auth } = loadConfig(base);
    expect(auth.otp).toEqual({
      ttlSeconds: 300,
      resendCooldownSeconds: 60,
      maxAttempts: 5,
      hourlyLimitPerIdentifier: 5,
      hourlyLimitPerIp: 30,
    });
    expect(auth.accessTtlSeconds).toBe(900);
    expect(auth.delivery.kinds).toEqual(['log']);
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).auth.delivery.kinds).toEqual(['test']);
  });

  it('refuses deliveries that would leak codes or cannot work', () => {
    expect(() => loadConfig({ ...base, OTP_DELIVERY: 'test' })).toThrow(/only allowed when NODE_ENV=test/);
    expect(() => loadConfig({ ...base, OTP_DELIVERY: 'smtp' })).toThrow(/SMTP_URL is required/);
    expect(() => loadConfig({ ...base, OTP_DELIVERY: 'smtp,twilio', SMTP_URL: 'smtp://localhost:25' })).toThrow(/TWILIO_ACCOUNT_SID/);
    expect(() => loadConfig({ ...base, OTP_DELIVERY: 'pigeon' })).toThrow(/OTP_DELIVERY/);
  });

  it('accepts smtp and twilio together', () => {
    const config = loadConfig({
      ...base,
      NODE_ENV: 'production',
      JWT_SECRET: 'p'.repeat(32),
      OTP_DELIVERY: 'twilio,smtp',
      SMTP_URL: 'smtp://mail.example.com:587',
      TWILIO_ACCOUNT_SID: 'AC123',
      TWILIO_AUTH_TOKEN: 'secret',
      TWILIO_FROM: '+15005550006',
    });
    expect(config.auth.delivery).toMatchObject({ kinds: ['twilio', 'smtp'], twilio: { from: '+15005550006' } });
  });
});
