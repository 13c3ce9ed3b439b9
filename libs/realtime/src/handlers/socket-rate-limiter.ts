/** What the limiter says about one incoming event. */
export type RateVerdict = 'allow' | 'refuse' | 'disconnect';

export interface SocketRateLimits {
  /** Events one socket may send per window; beyond it events are refused with `rate_limited`. */
  events: number;
  windowMs: number;
}

export const DEFAULT_SOCKET_RATE_LIMITS: SocketRateLimits = { events: 100, windowMs: 10_000 };

/** A socket that keeps sending past `events * DISCONNECT_FACTOR` in one window is disconnected. */
export const DISCONNECT_FACTOR = 2;

/**
 * Fixed-window event counter of one socket (kept in memory: a socket lives on exactly one process).
 * A burst slightly over the limit (an app flushing its outbox after reconnecting) gets polite refusals
 * it can retry; a flood is cut off.
 */
export class SocketRateLimiter {
  private windowStart = 0;
  private count = 0;

  constructor(
    private readonly limits: SocketRateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  hit(): RateVerdict {
    const now = this.now();
    if (now - this.windowStart >= this.limits.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += 1;
    if (this.count <= this.limits.events) return 'allow';
    if (this.count <= this.limits.events * DISCONNECT_FACTOR) return 'refuse';
    return 'disconnect';
  }

  /** Seconds until the current window ends. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.windowStart + this.limits.windowMs - this.now()) / 1000));
  }
}
