import { type DynamicModule, Module } from '@nestjs/common';
import { RealtimeModule } from '@app/realtime';
import { StorageModule } from '@app/storage';
import { AppConfig } from './config/index.js';
import { RedisFactory } from './core/redis/index.js';
import { CoreModule } from './core/core.module.js';
import { ChatModule } from './modules/chat/chat.module.js';
import { MediaModule } from './modules/media/media.module.js';
import { WorkerHeartbeatModule } from './core/queue/index.js';
import { CallsModule } from './modules/calls/calls.module.js';
import { ConnectionsModule } from './modules/connections/connections.module.js';
import { AuthWorkerModule } from './modules/auth/index.js';
import { ProfileModule } from './modules/profile/index.js';
import { QrModule } from './modules/qr/qr.module.js';
import { StatusModule } from './modules/status/index.js';
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
        // Media processing reads uploads and writes renditions; the worker serves no files.
        StorageModule.forRoot(config.storage, { serveFiles: false }),
        WorkerHeartbeatModule.forWorker(),
        AuthWorkerModule,
        ConnectionsModule.forWorker(),
        ConnectionsModule.directory(ConnectionsModule.forWorker()),
        QrModule.forWorker(),
        ChatModule.forWorker(),
        MediaModule.forWorker(),
        ProfileModule.forWorker(),
        CallsModule.forWorker(),
        StatusModule.forWorker(),
        NotificationsModule.forWorker(),
      ],
    };
  }
}
