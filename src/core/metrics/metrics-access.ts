import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Request } from 'express';
import { AppError } from '@app/common';
import { AppConfig } from '../../config/index.js';

/** Whether `headers` carry `Authorization: Bearer <token>`, compared in constant time. */
export function hasMetricsToken(headers: IncomingHttpHeaders, token: string): boolean {
  const given = Buffer.from(headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * /metrics on the public port: 404 when it is served on METRICS_PORT instead, a bearer token when
 * METRICS_TOKEN is set, and 404 in production with neither (metrics name routes, queues and load:
 * not for the public). Open only outside production without a token (local runs, tests).
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const { token, port } = this.config.metrics;
    const notFound = new AppError(HttpStatus.NOT_FOUND, 'not_found', 'Not found');
    if (port !== null) throw notFound;
    if (token !== null) {
      if (hasMetricsToken(context.switchToHttp().getRequest<Request>().headers, token)) return true;
      throw new AppError(HttpStatus.UNAUTHORIZED, 'metrics_token_required', 'A bearer metrics token is required');
    }
    if (this.config.env === 'production') throw notFound;
    return true;
  }
}
