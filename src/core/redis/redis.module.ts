import { Global, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '../../config/index.js';
import { RedisFactory } from './redis.factory.js';

/** Shared command connection for app code (rate limits, presence, caches). */
export const REDIS = Symbol('REDIS');
export type { Redis };

@Global()
@Module({
  providers: [
    RedisFactory,
    {
      provide: REDIS,
      inject: [RedisFactory, AppConfig],
      // Fail fast while Redis is away: ioredis would otherwise queue each command through ~20 reconnect
      // attempts (about 12 s) before failing, and a chat send would hang that long. Errors become 503
      // redis_unavailable; a blip shorter than the timeout is still absorbed by the offline queue.
      useFactory: (factory: RedisFactory, config: AppConfig) =>
        factory.create('app', { commandTimeout: config.redisCommandTimeoutMs, maxRetriesPerRequest: 1 }),
    },
  ],
  exports: [RedisFactory, REDIS],
})
export class RedisModule {}
