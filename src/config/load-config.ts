import { plainToInstance } from 'class-transformer';
import { createHmac } from 'node:crypto';
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
  const list = (v: string | undefined): string[] => (v ?? '').split(',').filter(Boolean);
  if (vars.TURN_URLS && !vars.TURN_SECRET) problems.push('TURN_SECRET is required when TURN_URLS is set');
  const notifications = notificationsOptions(vars, problems);
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
    worker: { concurrency: vars.WORKER_CONCURRENCY, stalledIntervalMs: vars.WORKER_STALLED_INTERVAL_MS },
    connections: {
      qrTtlSeconds: vars.QR_TTL_SECONDS,
      requestTtlSeconds: vars.CONNECTION_REQUEST_TTL_SECONDS,
      contactCacheTtlMs: vars.CONTACT_CACHE_TTL_MS,
    },
    chat: {
      editWindowMs: vars.CHAT_EDIT_WINDOW_SECONDS * 1000,
      deleteWindowMs: vars.CHAT_DELETE_WINDOW_SECONDS * 1000,
      typingTimeoutMs: vars.CHAT_TYPING_TIMEOUT_MS,
      commit: { windowMs: vars.CHAT_COMMIT_WINDOW_MS, maxDocs: vars.CHAT_COMMIT_MAX_DOCS },
      markerFlushMs: vars.CHAT_MARKER_FLUSH_MS,
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
    status: { ttlMs: vars.STATUS_TTL_SECONDS * 1000 },
    media: {
      maxBytes: {
        image: vars.MEDIA_MAX_IMAGE_BYTES,
        video: vars.MEDIA_MAX_VIDEO_BYTES,
        audio: vars.MEDIA_MAX_AUDIO_BYTES,
        document: vars.MEDIA_MAX_DOCUMENT_BYTES,
      },
      imageMaxSide: vars.MEDIA_IMAGE_MAX_SIDE,
      videoMaxHeight: vars.MEDIA_VIDEO_MAX_HEIGHT,
      urlTtlSeconds: vars.MEDIA_URL_TTL_SECONDS,
      orphanTtlSeconds: vars.MEDIA_ORPHAN_TTL_SECONDS,
      toolTimeoutMs: vars.MEDIA_TOOL_TIMEOUT_MS,
    },
    socketAuth: { tokenGraceSeconds: vars.SOCKET_TOKEN_GRACE_SECONDS },
    calls: {
      ringTimeoutMs: vars.CALL_RING_TIMEOUT_SECONDS * 1000,
      reconnectGraceMs: vars.CALL_RECONNECT_GRACE_SECONDS * 1000,
      maxSdpBytes: vars.CALL_MAX_SDP_BYTES,
      maxCandidatesPerEvent: vars.CALL_MAX_CANDIDATES_PER_EVENT,
      invitesPerMinute: vars.CALL_INVITES_PER_MINUTE,
      turn: {
        secret: vars.TURN_SECRET ?? null,
        urls: list(vars.TURN_URLS),
        stunUrls: list(vars.STUN_URLS),
        ttlSeconds: vars.TURN_TTL_SECONDS,
      },
    },
    notifications,
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
  return {
    driver: 'local',
    local: { dir: vars.STORAGE_LOCAL_DIR, publicBaseUrl: vars.STORAGE_PUBLIC_BASE_URL ?? '', signingSecret: mediaUrlSecret(vars) },
  };
}

/** Signed media URLs get their own key, or one derived from JWT_SECRET that can never sign a token. */
function mediaUrlSecret(vars: EnvironmentVariables): string {
  return (
    vars.MEDIA_URL_SECRET ??
    createHmac('sha256', vars.JWT_SECRET ?? '')
      .update('media-url-signing')
      .digest('base64url')
  );
}

/** Push providers: each is on when all of its keys are set, off when none are; half-set keys are an error. */
function notificationsOptions(vars: EnvironmentVariables, problems: string[]): AppConfig['notifications'] {
  const all = (keys: Array<keyof EnvironmentVariables>, what: string): boolean => {
    const set = keys.filter((k) => vars[k] !== undefined);
    if (set.length > 0 && set.length < keys.length) problems.push(`${keys.join(', ')} must be set together (${what})`);
    return set.length === keys.length;
  };
  const webPush = all(['WEB_PUSH_VAPID_PUBLIC_KEY', 'WEB_PUSH_VAPID_PRIVATE_KEY', 'WEB_PUSH_SUBJECT'], 'Web Push');
  const fcmOn = all(['FCM_PROJECT_ID', 'FCM_SERVICE_ACCOUNT_JSON'], 'FCM');
  const apnsOn = all(['APNS_KEY', 'APNS_KEY_ID', 'APNS_TEAM_ID', 'APNS_TOPIC'], 'APNs');
  let fcm: AppConfig['notifications']['push']['fcm'] = null;
  if (fcmOn) {
    try {
      const account = JSON.parse(vars.FCM_SERVICE_ACCOUNT_JSON ?? '') as {
        client_email?: unknown;
        private_key?: unknown;
        token_uri?: unknown;
      };
      if (typeof account.client_email !== 'string' || typeof account.private_key !== 'string') throw new Error('fields');
      fcm = {
        projectId: vars.FCM_PROJECT_ID ?? '',
        clientEmail: account.client_email,
        privateKey: account.private_key,
        tokenUri: typeof account.token_uri === 'string' ? account.token_uri : 'https://oauth2.googleapis.com/token',
        endpoint: vars.FCM_ENDPOINT.replace(/\/+$/, ''),
      };
    } catch {
      problems.push('FCM_SERVICE_ACCOUNT_JSON must be a service account key file (JSON with client_email and private_key)');
    }
  }
  return {
    chatDigestMs: vars.NOTIFICATIONS_CHAT_DIGEST_MS,
    push: {
      ttlSeconds: vars.PUSH_TTL_SECONDS,
      allowPrivateEndpoints: vars.PUSH_ALLOW_PRIVATE_ENDPOINTS === 'true',
      webPush: webPush
        ? { publicKey: vars.WEB_PUSH_VAPID_PUBLIC_KEY!, privateKey: vars.WEB_PUSH_VAPID_PRIVATE_KEY!, subject: vars.WEB_PUSH_SUBJECT! }
        : null,
      fcm,
      apns: apnsOn
        ? {
            key: vars.APNS_KEY!.replace(/\\n/g, '\n'),
            keyId: vars.APNS_KEY_ID!,
            teamId: vars.APNS_TEAM_ID!,
            topic: vars.APNS_TOPIC!,
            endpoint: vars.APNS_ENDPOINT.replace(/\/+$/, ''),
          }
        : null,
    },
  };
}
