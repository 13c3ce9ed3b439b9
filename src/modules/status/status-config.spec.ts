import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/app', REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: 'x'.repeat(32) };

describe('status configuration', () => {
  it('keeps a status 24 hours by default', () => {
    expect(loadConfig(base).status).toEqual({ ttlMs: 86_400_000 });
  });

  it('accepts a lifetime down to 10 seconds, and refuses less', () => {
    expect(loadConfig({ ...base, STATUS_TTL_SECONDS: '10' }).status.ttlMs).toBe(10_000);
    expect(() => loadConfig({ ...base, STATUS_TTL_SECONDS: '9' })).toThrow(/STATUS_TTL_SECONDS/);
    expect(() => loadConfig({ ...base, STATUS_TTL_SECONDS: 'soon' })).toThrow(/STATUS_TTL_SECONDS/);
  });
});
