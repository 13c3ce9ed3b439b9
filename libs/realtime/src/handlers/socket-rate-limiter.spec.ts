import { describe, expect, it } from 'vitest';
import { SocketRateLimiter } from './socket-rate-limiter.js';

describe('SocketRateLimiter', () => {
  it('allows the limit per window, refuses beyond it, disconnects at twice it, and resets each window', () => {
    let now = 1_000_000;
    const limiter = new SocketRateLimiter({ events: 3, windowMs: 1000 }, () => now);
    const verdicts = Array.from({ length: 7 }, () => limiter.hit());
    expect(verdicts).toEqual(['allow', 'allow', 'allow', 'refuse', 'refuse', 'refuse', 'disconnect']);
    now += 400;
    expect(limiter.retryAfterSeconds()).toBe(1);
    now += 600;
    expect(limiter.hit()).toBe('allow');
  });
});
