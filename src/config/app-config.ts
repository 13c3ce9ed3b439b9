import type { Level } from 'pino';
import type { StorageOptions } from '@app/storage';

/**
 * The one typed configuration object, built once at boot from the environment (see load-config.ts)
 * and injected by this class token. Nothing else reads process.env.
 */
export abstract class AppConfig {
  abstract readonly env: 'development' | 'production' | 'test';
  abstract readonly http: {
    readonly port: number;
    readonly host: string;
    readonly bodyLimitBytes: number;
    readonly corsOrigins: true | string[];
    readonly trustProxy: string | number | boolean;
  };
  abstract readonly mongodbUri: string;
  abstract readonly redis: { readonly url: string; readonly prefix: string };
  abstract readonly jwtSecret: string;
  abstract readonly logLevel: Level | 'silent';
  /** null when ADMIN_USER/ADMIN_PASSWORD are unset: the queue dashboard is then not mounted at all. */
  abstract readonly admin: { readonly user: string; readonly password: string } | null;
  abstract readonly socket: {
    readonly maxPayloadBytes: number;
    readonly rateLimit: { readonly events: number; readonly windowMs: number };
  };
  /** offlineAfterMs: bound on how long users of a dead process stay online; graceMs: reconnect without flapping. */
  abstract readonly presence: { readonly offlineAfterMs: number; readonly graceMs: number };
  abstract readonly shutdownTimeoutMs: number;
  /** stalledIntervalMs: how soon a dead worker's job is handed to another (see WORKER_STALLED_INTERVAL_MS). */
  abstract readonly worker: { readonly concurrency: number; readonly stalledIntervalMs: number };
  /** QR codes and connection requests: lifetimes in seconds; how long a cached "may interact" answer lives. */
  abstract readonly connections: { readonly qrTtlSeconds: number; readonly requestTtlSeconds: number; readonly contactCacheTtlMs: number };
  /** Chat rules: edit and delete-for-everyone windows, typing auto-stop; group commit of sends (MessageBatchWriter); the coalesced marker write's delay. */
  abstract readonly chat: {
    readonly editWindowMs: number;
    readonly deleteWindowMs: number;
    readonly typingTimeoutMs: number;
    readonly commit: { readonly windowMs: number; readonly maxDocs: number };
    readonly markerFlushMs: number;
  };
  abstract readonly auth: {
    readonly accessTtlSeconds: number;
    readonly issuer: string;
    readonly refreshTtlDays: number;
    readonly otp: {
      readonly ttlSeconds: number;
      readonly resendCooldownSeconds: number;
      readonly maxAttempts: number;
      readonly hourlyLimitPerIdentifier: number;
      readonly hourlyLimitPerIp: number;
    };
    readonly delivery: {
      readonly kinds: ReadonlyArray<'log' | 'smtp' | 'twilio' | 'test'>;
      readonly smtpUrl: string | null;
      readonly mailFrom: string;
      readonly twilio: { readonly accountSid: string; readonly authToken: string; readonly from: string } | null;
    };
  };
  /** Which storage driver keeps uploads (STORAGE_DRIVER) and its settings. */
  abstract readonly storage: StorageOptions;
  /** Avatar uploads: byte cap while streaming, pixel cap before decoding. */
  abstract readonly avatar: { readonly maxBytes: number; readonly maxInputPixels: number };
  /** Statuses: lifetime after posting, in ms. */
  abstract readonly status: { readonly ttlMs: number };
  /** Chat media: byte caps per kind (while streaming), processing limits, signed-URL lifetime, orphan sweep. */
  abstract readonly media: {
    readonly maxBytes: { readonly image: number; readonly video: number; readonly audio: number; readonly document: number };
    readonly imageMaxSide: number;
    readonly videoMaxHeight: number;
    readonly urlTtlSeconds: number;
    readonly orphanTtlSeconds: number;
    readonly toolTimeoutMs: number;
  };
  /** Sockets are held to their access token's expiry; this long after it, one that did not renew is cut. */
  abstract readonly socketAuth: { readonly tokenGraceSeconds: number };
  /** Calls: ring timeout, reconnect grace, payload caps, invite rate, ICE servers (TURN REST credentials). */
  abstract readonly calls: {
    readonly ringTimeoutMs: number;
    readonly reconnectGraceMs: number;
    readonly maxSdpBytes: number;
    readonly maxCandidatesPerEvent: number;
    readonly invitesPerMinute: number;
    readonly turn: { readonly secret: string | null; readonly urls: string[]; readonly stunUrls: string[]; readonly ttlSeconds: number };
  };
  /** Notifications and push (issue 15): each provider is null when its keys are unset (its devices are refused). */
  abstract readonly notifications: {
    readonly chatDigestMs: number;
    readonly push: {
      readonly ttlSeconds: number;
      readonly allowPrivateEndpoints: boolean;
      readonly webPush: { readonly publicKey: string; readonly privateKey: string; readonly subject: string } | null;
      readonly fcm: {
        readonly projectId: string;
        readonly clientEmail: string;
        readonly privateKey: string;
        readonly tokenUri: string;
        readonly endpoint: string;
      } | null;
      readonly apns: {
        readonly key: string;
        readonly keyId: string;
        readonly teamId: string;
        readonly topic: string;
        readonly endpoint: string;
      } | null;
    };
  };

  // --- reliability and hardening (issue 17) ---
  /** Bounds on database calls while the server is unreachable or hung (503 database_unavailable). */
  abstract readonly database: { readonly serverSelectionTimeoutMs: number; readonly socketTimeoutMs: number };
  /** Bound on app Redis commands while Redis is away (503 redis_unavailable). */
  abstract readonly redisCommandTimeoutMs: number;
  /** REST budget per user and per client IP in a fixed window, shared by every api process. */
  abstract readonly httpRateLimit: { readonly perUser: number; readonly perIp: number; readonly windowMs: number };
  /** /metrics: bearer token and/or separate port; both null outside production means open on the main port. */
  abstract readonly metrics: { readonly token: string | null; readonly port: number | null };
  abstract readonly docsEnabled: boolean;
  /** How often job schedulers are checked and re-created when Redis lost them. */
  abstract readonly schedulerCheckMs: number;
}
