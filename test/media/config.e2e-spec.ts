import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/app', REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: 'x'.repeat(32) };

describe('media configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig(base).media).toEqual({
      maxBytes: { image: 16_777_216, video: 104_857_600, audio: 16_777_216, document: 104_857_600 },
      imageMaxSide: 2048,
      videoMaxHeight: 720,
      urlTtlSeconds: 3600,
      orphanTtlSeconds: 86_400,
      toolTimeoutMs: 300_000,
    });
  });

  it('refuses a URL lifetime under 5 seconds and a short URL secret', () => {
    expect(() => loadConfig({ ...base, MEDIA_URL_TTL_SECONDS: '4' })).toThrow(/MEDIA_URL_TTL_SECONDS/);
    expect(() => loadConfig({ ...base, MEDIA_URL_SECRET: 'short' })).toThrow(/MEDIA_URL_SECRET/);
  });

  it('signs local URLs with MEDIA_URL_SECRET, else with a key derived from (never equal to) JWT_SECRET', () => {
    const local = (env: Record<string, string>): string | undefined => {
      const storage = loadConfig(env).storage;
      return storage.driver === 'local' ? storage.local.signingSecret : undefined;
    };
    expect(local({ ...base, MEDIA_URL_SECRET: 'm'.repeat(32) })).toBe('m'.repeat(32));
    const derived = local(base);
    expect(derived).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(derived).not.toBe(base.JWT_SECRET);
    expect(local({ ...base, JWT_SECRET: 'y'.repeat(32) })).not.toBe(derived);
  });
});
