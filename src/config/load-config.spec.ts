import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const valid = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/app',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(32),
};

describe('loadConfig', () => {
  it('applies defaults and types values', () => {
    const config = loadConfig({ ...valid, PORT: '4000', CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.http.port).toBe(4000);
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.redis.prefix).toBe('msg');
    expect(config.admin).toBeNull();
  });

  it('names every offending key in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://nope', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const key of ['PORT', 'MONGODB_URI', 'REDIS_URL', 'JWT_SECRET', 'LOG_LEVEL']) expect(message).toContain(key);
  });

  it('treats empty values as unset', () => {
    expect(() => loadConfig({ ...valid, JWT_SECRET: '' })).toThrow(/JWT_SECRET is missing/);
  });

  it('refuses the development secret in production and half-set admin credentials', () => {
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production', JWT_SECRET: 'dev-' + 'x'.repeat(40) })).toThrow(
      /JWT_SECRET must not be the development value/,
    );
    expect(() => loadConfig({ ...valid, ADMIN_USER: 'admin' })).toThrow(/ADMIN_USER and ADMIN_PASSWORD/);
  });

  it('allows any origin with *', () => {
    expect(loadConfig({ ...valid, CORS_ORIGINS: '*' }).http.corsOrigins).toBe(true);
  });
});
