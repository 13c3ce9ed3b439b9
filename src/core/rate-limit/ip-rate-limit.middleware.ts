import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../../config/index.js';
import { RedisWindowLimiter } from './redis-window-limiter.js';
import { tooManyRequests } from './too-many-requests.js';

// Operators' probes and scrapes come from a few addresses at a steady rate: never limited.
const EXEMPT = /^\/(health|metrics)(\/|$)/;

/**
 * Per client IP (req.ip, so TRUST_PROXY decides whose address it is), over every route, before
 * authentication: a flood of bad tokens or sign-in attempts is cut here, before it costs a lookup.
 */
@Injectable()
export class IpRateLimitMiddleware implements NestMiddleware {
  constructor(
    private readonly limiter: RedisWindowLimiter,
    private readonly config: AppConfig,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (EXEMPT.test(req.originalUrl)) return next();
    const { perIp, windowMs } = this.config.httpRateLimit;
    this.limiter
      .hit(`ip:${req.ip ?? 'unknown'}`, perIp, windowMs)
      .then((verdict) => (verdict.ok ? next() : next(tooManyRequests(res, verdict.retryAfterSeconds, 'ip'))), next);
  }
}
