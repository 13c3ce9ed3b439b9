import type { SocketRateLimits } from './handlers/socket-rate-limiter.js';

/** Settings of the realtime layer, from AppConfig (given to RealtimeModule.forRoot by the app module). */
export interface RealtimeOptions {
  rateLimits: SocketRateLimits;
}

export const REALTIME_OPTIONS = Symbol('REALTIME_OPTIONS');
