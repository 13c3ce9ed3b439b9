import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { AppConfig } from '../../config/index.js';
import { RedisFactory } from '../redis/index.js';
import { QueueName } from './queues.js';

const queues = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));

@Global()
@Module({
  imports: [
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
    ...queues,
  ],
  exports: [...queues],
})
export class QueueModule {}
