import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Level } from 'pino';
import type { StorageOptions } from '@app/storage';
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
  const otpDelivery = otpDeliveryKinds(vars, problems);
  const storage = storageOptions(vars, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const origins = vars.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return {
    storage,
    avatar: { maxBytes: vars.AVATAR_MAX_BYTES, maxInputPixels: vars.AVATAR_MAX_INPUT_PIXELS },
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
    socket: {
      maxPayloadBytes: vars.SOCKET_MAX_PAYLOAD_BYTES,
      rateLimit: { events: vars.SOCKET_RATE_LIMIT_EVENTS, windowMs: vars.SOCKET_RATE_LIMIT_WINDOW_MS },
    },
    presence: { offlineAfterMs: vars.PRESENCE_OFFLINE_AFTER_MS, graceMs: vars.PRESENCE_GRACE_MS },
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    worker: { concurrency: vars.WORKER_CONCURRENCY },
    connections: { qrTtlSeconds: vars.QR_TTL_SECONDS, requestTtlSeconds: vars.CONNECTION_REQUEST_TTL_SECONDS },
    chat: {
      editWindowMs: vars.CHAT_EDIT_WINDOW_SECONDS * 1000,
      deleteWindowMs: vars.CHAT_DELETE_WINDOW_SECONDS * 1000,
      typingTimeoutMs: vars.CHAT_TYPING_TIMEOUT_MS,
    },
    auth: {
      accessTtlSeconds: vars.JWT_ACCESS_TTL_SECONDS,
      issuer: vars.JWT_ISSUER,
      refreshTtlDays: vars.REFRESH_TOKEN_TTL_DAYS,
      otp: {
        ttlSeconds: vars.OTP_TTL_SECONDS,
        resendCooldownSeconds: vars.OTP_RESEND_COOLDOWN_SECONDS,
        maxAttempts: vars.OTP_MAX_ATTEMPTS,
        hourlyLimitPerIdentifier: vars.OTP_HOURLY_LIMIT_PER_IDENTIFIER,
        hourlyLimitPerIp: vars.OTP_HOURLY_LIMIT_PER_IP,
      },
      delivery: {
        kinds: otpDelivery,
        smtpUrl: vars.SMTP_URL ?? null,
        mailFrom: vars.MAIL_FROM,
        twilio:
          vars.TWILIO_ACCOUNT_SID && vars.TWILIO_AUTH_TOKEN && vars.TWILIO_FROM
            ? { accountSid: vars.TWILIO_ACCOUNT_SID, authToken: vars.TWILIO_AUTH_TOKEN, from: vars.TWILIO_FROM }
            : null,
      },
    },
    // --- reliability and hardening (issue 17) ---
    database: { serverSelectionTimeoutMs: vars.DB_SERVER_SELECTION_TIMEOUT_MS, socketTimeoutMs: vars.DB_SOCKET_TIMEOUT_MS },
    redisCommandTimeoutMs: vars.REDIS_COMMAND_TIMEOUT_MS,
    httpRateLimit: { perUser: vars.HTTP_RATE_LIMIT_PER_USER, perIp: vars.HTTP_RATE_LIMIT_PER_IP, windowMs: vars.HTTP_RATE_LIMIT_WINDOW_MS },
    metrics: { token: vars.METRICS_TOKEN ?? null, port: vars.METRICS_PORT ?? null },
    docsEnabled: vars.DOCS_ENABLED === 'true',
    schedulerCheckMs: vars.SCHEDULER_CHECK_MS,
  };
}

type DeliveryKind = 'log' | 'smtp' | 'twilio' | 'test';

/** OTP deliveries and their prerequisites: codes are captured only in tests (the log delivery shows them in development only). */
function otpDeliveryKinds(vars: EnvironmentVariables, problems: string[]): DeliveryKind[] {
  const fallback: DeliveryKind = vars.NODE_ENV === 'test' ? 'test' : 'log';
  const kinds = [...new Set((vars.OTP_DELIVERY ?? fallback).split(',') as DeliveryKind[])];
  if (kinds.includes('test') && vars.NODE_ENV !== 'test') problems.push('OTP_DELIVERY=test is only allowed when NODE_ENV=test');
  if (kinds.includes('smtp') && !vars.SMTP_URL) problems.push('SMTP_URL is required when OTP_DELIVERY includes smtp');
  if (kinds.includes('twilio') && !(vars.TWILIO_ACCOUNT_SID && vars.TWILIO_AUTH_TOKEN && vars.TWILIO_FROM)) {
    problems.push('TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are required when OTP_DELIVERY includes twilio');
  }
  return kinds;
}

function parseTrustProxy(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** The driver STORAGE_DRIVER names, with the keys that driver needs (reported missing together). */
function storageOptions(vars: EnvironmentVariables, problems: string[]): StorageOptions {
  if (vars.STORAGE_DRIVER === 's3') {
    if (!vars.S3_BUCKET || !vars.S3_ACCESS_KEY_ID || !vars.S3_SECRET_ACCESS_KEY) {
      problems.push('S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required when STORAGE_DRIVER=s3');
    }
    return {
      driver: 's3',
      s3: {
        bucket: vars.S3_BUCKET ?? '',
        region: vars.S3_REGION,
        endpoint: vars.S3_ENDPOINT,
        forcePathStyle: vars.S3_FORCE_PATH_STYLE === 'true',
        accessKeyId: vars.S3_ACCESS_KEY_ID ?? '',
        secretAccessKey: vars.S3_SECRET_ACCESS_KEY ?? '',
        urlExpiresSeconds: vars.S3_URL_EXPIRES_SECONDS,
      },
    };
  }
  if (vars.STORAGE_DRIVER === 'cloudinary') {
    const url = vars.CLOUDINARY_URL ? new URL(vars.CLOUDINARY_URL) : null;
    if (!url) problems.push('CLOUDINARY_URL is required when STORAGE_DRIVER=cloudinary');
    return {
      driver: 'cloudinary',
      cloudinary: {
        cloudName: url?.hostname ?? '',
        apiKey: decodeURIComponent(url?.username ?? ''),
        apiSecret: decodeURIComponent(url?.password ?? ''),
      },
    };
  }
  return { driver: 'local', local: { dir: vars.STORAGE_LOCAL_DIR, publicBaseUrl: vars.STORAGE_PUBLIC_BASE_URL ?? '' } };
}
