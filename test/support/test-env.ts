import { randomBytes } from 'node:crypto';
import { type AppConfig, loadConfig } from '../../src/config/index.js';

export type Env = Record<string, string>;

/**
 * Environment for one test suite: the MongoDB server and Redis the services script started, but a
 * database name and Redis key prefix of its own, so suites run in parallel and leave nothing behind.
 */
export function testEnv(overrides: Env = {}): Env {
  const base = process.env.MONGODB_URI;
  const redis = process.env.REDIS_URL;
  if (!base || !redis) throw new Error('MONGODB_URI and REDIS_URL must be set: run tests with `npm test`');
  const id = randomBytes(5).toString('hex');
  const uri = new URL(base);
  uri.pathname = `/t_${id}`;
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGODB_URI: uri.toString(),
    REDIS_URL: redis,
    REDIS_PREFIX: `t_${id}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    CORS_ORIGINS: '*',
    HOST: '127.0.0.1',
    PORT: '0',
    ...overrides,
  };
}

export function testConfig(env: Env): AppConfig {
  return loadConfig(env);
}
