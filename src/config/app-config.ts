import type { Level } from 'pino';

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
  abstract readonly socket: { readonly maxPayloadBytes: number };
  abstract readonly shutdownTimeoutMs: number;
  abstract readonly worker: { readonly concurrency: number };
}
