import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IpRateLimitMiddleware } from './ip-rate-limit.middleware.js';
import { RedisWindowLimiter } from './redis-window-limiter.js';
import { UserRateLimitInterceptor } from './user-rate-limit.interceptor.js';

/**
 * REST budgets shared by every api process (Redis): per client IP over all routes, per user per route.
 * Socket events keep their own per-socket limits (libs/realtime).
 */
@Module({
  providers: [RedisWindowLimiter, IpRateLimitMiddleware, { provide: APP_INTERCEPTOR, useClass: UserRateLimitInterceptor }],
})
export class RateLimitModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(IpRateLimitMiddleware).forRoutes('{*path}');
  }
}
