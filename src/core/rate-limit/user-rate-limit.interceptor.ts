import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, type Observable, switchMap } from 'rxjs';
import { AppConfig } from '../../config/index.js';
import type { AuthUser } from '../http/current-user.decorator.js';
import { RATE_BUDGET } from './rate-budget.decorator.js';
import { RedisWindowLimiter } from './redis-window-limiter.js';
import { tooManyRequests } from './too-many-requests.js';

/**
 * Per signed-in user and route (method + route pattern, so /chats/:id counts as one route whatever the
 * id): an interceptor because it runs after the guards, when the user is known and verified, so nobody
 * can spend someone else's budget. Routes without a user (public) are covered by the per-IP budget.
 */
@Injectable()
export class UserRateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly limiter: RedisWindowLimiter,
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const userId = req.user?.userId;
    const override = this.reflector.getAllAndOverride<number | false | undefined>(RATE_BUDGET, [context.getHandler(), context.getClass()]);
    if (!userId || override === false) return next.handle();
    const budget = override ?? this.config.httpRateLimit.perUser;
    const route = `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    return from(this.limiter.hit(`user:${userId}:${route}`, budget, this.config.httpRateLimit.windowMs)).pipe(
      switchMap((verdict) => {
        if (!verdict.ok) throw tooManyRequests(context.switchToHttp().getResponse<Response>(), verdict.retryAfterSeconds, 'user');
        return next.handle();
      }),
    );
  }
}
