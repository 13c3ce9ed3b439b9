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

  /** Value of Express's `trust proxy` (e.g. 1 behind one load balancer) so client IPs are right. */
  @IsString()
  TRUST_PROXY = 'loopback';
}
