import { type DynamicModule, Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { DomainEventBus } from '@app/common';
import { type AppConfig, ConfigModule } from '../config/index.js';
import { DatabaseModule } from './database/database.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { QueueModule } from './queue/index.js';
import { RedisModule } from './redis/index.js';
import { SchedulerKeeper } from './scheduling/scheduler-keeper.js';

/**
 * Infrastructure both processes share: config, logs, MongoDB, Redis, BullMQ, in-process domain events,
 * and the SchedulerKeeper job schedulers register with.
 */
@Global()
@Module({ providers: [DomainEventBus, SchedulerKeeper], exports: [DomainEventBus, SchedulerKeeper] })
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [ConfigModule.forRoot(config), LoggingModule, DatabaseModule, RedisModule, QueueModule, EventEmitterModule.forRoot()],
    };
  }
}
