import { type DynamicModule, Module } from '@nestjs/common';
import { RealtimeModule } from '@app/realtime';
import { AppConfig } from './config/index.js';
import { RedisFactory } from './core/redis/index.js';
import { CoreModule } from './core/core.module.js';
import { WorkerHeartbeatModule } from './core/queue/index.js';
import { ConnectionsModule } from './modules/connections/connections.module.js';
import { AuthWorkerModule } from './modules/auth/index.js';
import { QrModule } from './modules/qr/qr.module.js';

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
        WorkerHeartbeatModule.forWorker(),
        AuthWorkerModule,
        ConnectionsModule.forWorker(),
        ConnectionsModule.directory(ConnectionsModule.forWorker()),
        QrModule.forWorker(),
      ],
    };
  }
}
