import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { ConnectionOptions } from 'bullmq';
import { AppConfig } from '../../config/index.js';
import { RedisFactory } from '../redis/index.js';
import { StallTiming } from './queue-processor.js';
import { WorkerConcurrency } from './worker-concurrency.js';

/** The BullMQ connection and job defaults. Each module registers its own queues (registerQueue). */
@Global()
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      inject: [AppConfig, RedisFactory],
      useFactory: (config: AppConfig, redis: RedisFactory) => ({
        // BullMQ workers block on Redis and need maxRetriesPerRequest null.
        connection: redis.options({ maxRetriesPerRequest: null }) as ConnectionOptions,
        prefix: `${config.redis.prefix}:bull`,
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: 24 * 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      }),
    }),
  ],
  providers: [WorkerConcurrency, StallTiming],
})
export class QueueModule {}
