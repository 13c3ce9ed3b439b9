import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

/**
 * Every environment key the processes read. Defaults here are safe for any environment; keys that
 * differ per deployment (URIs, secrets) have none. .env.example documents each key.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, { message: 'must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI!: string;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  /** Prefix of every Redis key this deployment writes (queues, socket rooms, rate limits). */
  @Matches(/^[A-Za-z0-9_.:-]{1,32}$/, { message: 'must be 1-32 characters of A-Z a-z 0-9 _ . : -' })
  REDIS_PREFIX = 'msg';

  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET!: string;

  /** Comma-separated allowed browser origins for HTTP CORS and Socket.IO; `*` allows any. */
  @IsString()
  CORS_ORIGINS = 'http://localhost:3000';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsString()
  @MinLength(1)
  ADMIN_USER?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  /** Largest JSON or form body the api accepts, in bytes. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  HTTP_BODY_LIMIT_BYTES = 1_048_576;

  /** Largest single Socket.IO message, in bytes (Socket.IO's maxHttpBufferSize). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  SOCKET_MAX_PAYLOAD_BYTES = 65_536;

  /** Events one socket may send per SOCKET_RATE_LIMIT_WINDOW_MS; beyond it refused, at twice it disconnected. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SOCKET_RATE_LIMIT_EVENTS = 100;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  SOCKET_RATE_LIMIT_WINDOW_MS = 10_000;

  /** Longest a user stays shown online after their api process died (kill -9), in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  PRESENCE_OFFLINE_AFTER_MS = 60_000;

  /** A user whose last socket closed is announced offline only if they do not reconnect within this, in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  PRESENCE_GRACE_MS = 5000;

  /** How long a SIGTERM may take before the process exits anyway. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /** How many jobs one worker process runs at once per queue. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  WORKER_CONCURRENCY = 4;

  /**
   * How often a worker looks for jobs of a dead worker, in ms; a job's lock lasts 1.5 times this, so a
   * killed worker's job runs again within about 2.5 times it. The floor keeps a busy event loop from
   * losing the locks of live jobs.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  WORKER_STALLED_INTERVAL_MS = 10_000;

  /** Value of Express's `trust proxy` (e.g. 1 behind one load balancer) so client IPs are right. */
  @IsString()
  TRUST_PROXY = 'loopback';

  // --- QR connections (issue 6) ---
  /** How long a connection QR code stays valid, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  QR_TTL_SECONDS = 120;

  /** How long a pending connection request waits for an answer before it expires, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  CONNECTION_REQUEST_TTL_SECONDS = 604_800;

  /**
   * How long a process may answer "may these two interact" from its cache, in ms: the bound on a block
   * taking effect should a cross-process invalidation be lost (normally it lands in about a millisecond).
   * 0 turns the cache off.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(300_000)
  CONTACT_CACHE_TTL_MS = 30_000;

  // --- auth (issue 4) ---
  /** Access JWT lifetime in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(30)
  JWT_ACCESS_TTL_SECONDS = 900;

  /** `iss` claim written into and required of every access token. */
  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'messaging-backend';

  /** A session whose refresh token is not used for this many days expires. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  REFRESH_TOKEN_TTL_DAYS = 30;

  @Type(() => Number)
  @IsInt()
  @Min(30)
  OTP_TTL_SECONDS = 300;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  OTP_RESEND_COOLDOWN_SECONDS = 60;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  OTP_MAX_ATTEMPTS = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  OTP_HOURLY_LIMIT_PER_IDENTIFIER = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  OTP_HOURLY_LIMIT_PER_IP = 30;

  /** Comma-separated OTP deliveries: log, smtp, twilio (and test, NODE_ENV=test only). Default: log (test under NODE_ENV=test). */
  @IsOptional()
  @Matches(/^(log|smtp|twilio|test)(,(log|smtp|twilio|test))*$/, { message: 'must be a comma-separated list of log, smtp, twilio, test' })
  OTP_DELIVERY?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Messaging <no-reply@localhost>';

  @IsOptional()
  @IsString()
  TWILIO_ACCOUNT_SID?: string;

  @IsOptional()
  @IsString()
  TWILIO_AUTH_TOKEN?: string;

  /** Sender: an E.164 number or a Messaging Service SID (MG...). */
  @IsOptional()
  @IsString()
  TWILIO_FROM?: string;

  /** How long after sending the sender may still edit a message, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  CHAT_EDIT_WINDOW_SECONDS = 900;

  /** How long after sending the sender may still delete a message for everyone, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  CHAT_DELETE_WINDOW_SECONDS = 172_800;

  /** A `chat:typing` true stops by itself after this long without renewal, in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  CHAT_TYPING_TIMEOUT_MS = 6000;

  /**
   * Group commit: sends arriving within this many ms (all chats and senders) are stored with one
   * insertMany; 0 stores each send at once. Ceiling 50: every send waits up to this long before its ack.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(50)
  CHAT_COMMIT_WINDOW_MS = 1;

  /** Group commit: a batch is stored at once when it reaches this many messages (ceiling 1000: one command stays far below 16 MB). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  CHAT_COMMIT_MAX_DOCS = 256;

  /**
   * Delivered/seen markers are written to the database in coalesced batches at most this long after
   * the receipt, in ms (the socket events go out at once; the receipt's ack waits for the write).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  CHAT_MARKER_FLUSH_MS = 20;

  // --- profile and storage (issue 5) ---
  /** Where uploaded files live: local (files served by the api), s3 (any S3-compatible) or cloudinary. */
  @IsIn(['local', 's3', 'cloudinary'])
  STORAGE_DRIVER: 'local' | 's3' | 'cloudinary' = 'local';

  /** Folder of the local driver (relative to the working directory or absolute). */
  @IsString()
  @MinLength(1)
  STORAGE_LOCAL_DIR = 'var/storage';

  /** Origin put before local file URLs (/files/<key>); empty gives root-relative URLs. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'must be an http(s) URL' })
  STORAGE_PUBLIC_BASE_URL?: string;

  @IsOptional()
  @IsString()
  S3_BUCKET?: string;

  @IsString()
  S3_REGION = 'us-east-1';

  /** S3-compatible endpoint (MinIO, R2...); unset means AWS. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  S3_ENDPOINT?: string;

  @IsIn(['true', 'false'])
  S3_FORCE_PATH_STYLE = 'true';

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  /** Lifetime of presigned download URLs, in seconds (S3 allows at most 7 days). */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(604_800)
  S3_URL_EXPIRES_SECONDS = 3600;

  /** cloudinary://<api_key>:<api_secret>@<cloud_name>, needed when STORAGE_DRIVER=cloudinary. */
  @IsOptional()
  @Matches(/^cloudinary:\/\/[^:\s]+:[^@\s]+@[A-Za-z0-9_-]+$/, { message: 'must be cloudinary://key:secret@cloud_name' })
  CLOUDINARY_URL?: string;

  /** Largest avatar upload, in bytes; cut off while streaming (413). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  AVATAR_MAX_BYTES = 5_242_880;

  /** Largest avatar in pixels (width x height), checked from the header before decoding: decompression bombs. */
  @Type(() => Number)
  @IsInt()
  @Min(10_000)
  AVATAR_MAX_INPUT_PIXELS = 50_000_000;

  // --- status (issue 13) ---
  /** How long a status stays visible after it is posted, in seconds (at least 10, so tests can watch one expire). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  STATUS_TTL_SECONDS = 86_400;
  // --- Media ---
  /** Largest image upload, in bytes; cut off while streaming (413). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  MEDIA_MAX_IMAGE_BYTES = 16_777_216;

  /** Largest video upload, in bytes; cut off while streaming (413). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  MEDIA_MAX_VIDEO_BYTES = 104_857_600;

  /** Largest audio or voice-note upload, in bytes; cut off while streaming (413). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  MEDIA_MAX_AUDIO_BYTES = 16_777_216;

  /** Largest document upload, in bytes; cut off while streaming (413). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  MEDIA_MAX_DOCUMENT_BYTES = 104_857_600;

  /** Longest side of a processed image, in pixels. */
  @Type(() => Number)
  @IsInt()
  @Min(64)
  @Max(8192)
  MEDIA_IMAGE_MAX_SIDE = 2048;

  /** Height cap of a transcoded video, in pixels. */
  @Type(() => Number)
  @IsInt()
  @Min(144)
  @Max(2160)
  MEDIA_VIDEO_MAX_HEIGHT = 720;

  /** Lifetime of signed media URLs, in seconds (S3: presigned URLs, at most 7 days). */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(604_800)
  MEDIA_URL_TTL_SECONDS = 3600;

  /** HMAC key of signed local media URLs; unset derives one from JWT_SECRET with a domain separator. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  MEDIA_URL_SECRET?: string;

  /** Media no message references this long after upload is deleted by the orphan sweep, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MEDIA_ORPHAN_TTL_SECONDS = 86_400;

  /** Hard time limit of one ffmpeg/ffprobe/pdftoppm run, in ms (killed with SIGKILL beyond it). */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  MEDIA_TOOL_TIMEOUT_MS = 300_000;
  // --- Socket token expiry (issue 11) ---
  /** Seconds a socket whose access token expired may still renew it (auth:refresh) before it is disconnected. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SOCKET_TOKEN_GRACE_SECONDS = 60;
  // --- calls (issue 12) ---
  /** How long a call rings before it is missed, in seconds (at least 5, so tests can watch it). */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  CALL_RING_TIMEOUT_SECONDS = 45;

  /** How long a call survives its active device's connection loss (reconnect + call:resume), in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  CALL_RECONNECT_GRACE_SECONDS = 20;

  /** Largest SDP (offer or answer) a call event may carry, in bytes. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  CALL_MAX_SDP_BYTES = 16_384;

  /** Most ICE candidates one call:ice-candidate event may carry. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  CALL_MAX_CANDIDATES_PER_EVENT = 20;

  /** Calls one user may start per minute (across devices and processes). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CALL_INVITES_PER_MINUTE = 10;

  /** Shared secret of the TURN server (coturn `use-auth-secret` / `static-auth-secret`); unset: no TURN entry. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  TURN_SECRET?: string;

  /** Comma-separated turn:/turns: URLs clients get with credentials (needs TURN_SECRET). */
  @IsOptional()
  @Matches(/^turns?:[^,\s]+(,turns?:[^,\s]+)*$/, { message: 'must be a comma-separated list of turn: or turns: URLs' })
  TURN_URLS?: string;

  /** Comma-separated stun: URLs clients get. */
  @IsOptional()
  @Matches(/^stun:[^,\s]+(,stun:[^,\s]+)*$/, { message: 'must be a comma-separated list of stun: URLs' })
  STUN_URLS?: string;

  /** Lifetime of TURN credentials, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  TURN_TTL_SECONDS = 86_400;
  // --- notifications (issue 15) ---
  /** Chat messages to an offline user within this window collapse into one push per chat, in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  NOTIFICATIONS_CHAT_DIGEST_MS = 2000;

  /** How long a push service keeps an undelivered push (Web Push TTL, FCM ttl, apns-expiration), in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2_419_200)
  PUSH_TTL_SECONDS = 86_400;

  /** Tests only: accept Web Push endpoints on loopback/private addresses (a local receiver). */
  @IsIn(['true', 'false'])
  PUSH_ALLOW_PRIVATE_ENDPOINTS = 'false';

  /** VAPID key pair (URL-safe base64, as `web-push generate-vapid-keys` prints them); unset = Web Push off. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{80,100}$/, { message: 'must be a URL-safe base64 P-256 public key' })
  WEB_PUSH_VAPID_PUBLIC_KEY?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{40,50}$/, { message: 'must be a URL-safe base64 P-256 private key' })
  WEB_PUSH_VAPID_PRIVATE_KEY?: string;

  /** VAPID `sub`: a mailto: or https: contact for the push services. */
  @IsOptional()
  @Matches(/^(mailto:\S+|https:\/\/\S+)$/, { message: 'must be a mailto: or https: URL' })
  WEB_PUSH_SUBJECT?: string;

  @IsOptional()
  @IsString()
  FCM_PROJECT_ID?: string;

  /** The service account key file's JSON (client_email, private_key, token_uri). */
  @IsOptional()
  @IsString()
  FCM_SERVICE_ACCOUNT_JSON?: string;

  @Matches(/^https:\/\/\S+$/, { message: 'must be an https URL' })
  FCM_ENDPOINT = 'https://fcm.googleapis.com';

  /** APNs auth key (.p8, PEM) with its key id and team id; unset = APNs off. */
  @IsOptional()
  @IsString()
  APNS_KEY?: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]{10}$/, { message: 'must be a 10-character key id' })
  APNS_KEY_ID?: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]{10}$/, { message: 'must be a 10-character team id' })
  APNS_TEAM_ID?: string;

  /** The app's bundle id (VoIP pushes go to `<topic>.voip`). */
  @IsOptional()
  @IsString()
  APNS_TOPIC?: string;

  @Matches(/^https:\/\/\S+$/, { message: 'must be an https URL' })
  APNS_ENDPOINT = 'https://api.push.apple.com';
  // --- reliability and hardening (issue 17) ---
  /** How long a database call waits for a reachable server before failing with 503 database_unavailable, in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  DB_SERVER_SELECTION_TIMEOUT_MS = 2000;

  /** How long a database call waits for an answer on an open connection (a hung server) before failing, in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  DB_SOCKET_TIMEOUT_MS = 5000;

  /** How long an app Redis command may take before failing (Redis away or hung): sends fail fast, in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  REDIS_COMMAND_TIMEOUT_MS = 2000;

  /** REST requests one user may make per HTTP_RATE_LIMIT_WINDOW_MS (all api processes together); beyond it 429. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  HTTP_RATE_LIMIT_PER_USER = 600;

  /** REST requests one client IP may make per window, signed in or not (several users may share an IP). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  HTTP_RATE_LIMIT_PER_IP = 3000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  HTTP_RATE_LIMIT_WINDOW_MS = 60_000;

  /** Bearer token /metrics requires; unset in production (and no METRICS_PORT) means /metrics is not served. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Serve /metrics on this separate (internal) port instead of the public one. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /** How often a worker checks that its job schedulers still exist in Redis (re-created if Redis lost them), in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  SCHEDULER_CHECK_MS = 30_000;

  /** Swagger UI and /docs-json; switch off in production if the API documents must not be public. */
  @IsIn(['true', 'false'])
  DOCS_ENABLED = 'true';
}
