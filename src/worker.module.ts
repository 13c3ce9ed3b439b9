import { type DynamicModule, Module } from '@nestjs/common';
import { RealtimeModule } from '@app/realtime';
import { AppConfig } from './config/index.js';
import { RedisFactory } from './core/redis/index.js';
import { CoreModule } from './core/core.module.js';
import { ConnectionsModule } from './modules/connections/connections.module.js';
import { MaintenanceModule } from './modules/maintenance/maintenance.module.js';
import { QrModule } from './modules/qr/qr.module.js';
import { NotificationsModule } from './modules/notifications/index.js';

/** The worker process: BullMQ processors and job schedules, no HTTP listener. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config),
        // Jobs reach sockets on the api processes through the same Redis streams adapter.
        RealtimeModule.forWorker({
          inject: [AppConfig, RedisFactory],
          useFactory: (cfg: AppConfig, redis: RedisFactory) => ({
            adapterKey: `${cfg.redis.prefix}:socket.io`,
            redisClient: redis.create('socket-adapter'),
          }),
        }),
        MaintenanceModule.forWorker(),
        ConnectionsModule.forWorker(),
        QrModule.forWorker(),
        NotificationsModule.forWorker(),
      ],
    };
  }
}
