import type { SocketRateLimits } from './handlers/socket-rate-limiter.js';

/** Settings of the realtime layer, from AppConfig (given to RealtimeModule.forRoot by the app module). */
export interface RealtimeOptions {
  rateLimits: SocketRateLimits;
  /** How long a socket whose token expired may still renew it before it is disconnected (SOCKET_TOKEN_GRACE_SECONDS). */
  tokenGraceMs: number;
}

export const DEFAULT_TOKEN_GRACE_MS = 60_000;

export const REALTIME_OPTIONS = Symbol('REALTIME_OPTIONS');
