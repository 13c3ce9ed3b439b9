import { Global, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisFactory } from './redis.factory.js';

/** Shared command connection for app code (rate limits, presence, caches). */
export const REDIS = Symbol('REDIS');
export type { Redis };

@Global()
@Module({
  providers: [RedisFactory, { provide: REDIS, inject: [RedisFactory], useFactory: (factory: RedisFactory) => factory.create('app') }],
  exports: [RedisFactory, REDIS],
})
export class RedisModule {}
