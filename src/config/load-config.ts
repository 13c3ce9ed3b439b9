import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Level } from 'pino';
import { AppConfig } from './app-config.js';
import { EnvironmentVariables } from './env.schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Validates the environment and builds AppConfig; throws one ConfigError naming every bad key. */
export function loadConfig(env: Env): AppConfig {
  // An empty value means "not set", so defaults apply and required keys are reported as missing.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const vars = plainToInstance(EnvironmentVariables, present, { enableImplicitConversion: true });
  const problems = validateSync(vars, { skipMissingProperties: false }).map(
    (e) => `${e.property} ${present[e.property] === undefined ? 'is missing or ' : ''}${Object.values(e.constraints ?? {}).join(', ')}`,
  );
  if (vars.NODE_ENV === 'production' && /^dev-/.test(vars.JWT_SECRET ?? '')) {
    problems.push('JWT_SECRET must not be the development value in production');
  }
  if (Boolean(vars.ADMIN_USER) !== Boolean(vars.ADMIN_PASSWORD)) {
    problems.push('ADMIN_USER and ADMIN_PASSWORD must be set together');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const origins = vars.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return {
    env: vars.NODE_ENV,
    http: {
      port: vars.PORT,
      host: vars.HOST,
      bodyLimitBytes: vars.HTTP_BODY_LIMIT_BYTES,
      corsOrigins: origins.includes('*') ? true : origins,
      trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    },
    mongodbUri: vars.MONGODB_URI,
    redis: { url: vars.REDIS_URL, prefix: vars.REDIS_PREFIX },
    jwtSecret: vars.JWT_SECRET,
    logLevel: vars.LOG_LEVEL as Level | 'silent',
    admin: vars.ADMIN_USER && vars.ADMIN_PASSWORD ? { user: vars.ADMIN_USER, password: vars.ADMIN_PASSWORD } : null,
    socket: { maxPayloadBytes: vars.SOCKET_MAX_PAYLOAD_BYTES },
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    worker: { concurrency: vars.WORKER_CONCURRENCY },
  };
}

function parseTrustProxy(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}
