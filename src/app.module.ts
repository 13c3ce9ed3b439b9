import { type DynamicModule, Module } from '@nestjs/common';
import { RealtimeModule } from '@app/realtime';
import { StorageModule } from '@app/storage';
import type { AppConfig } from './config/index.js';
import { AdminModule } from './core/admin/admin.module.js';
import { CoreModule } from './core/core.module.js';
import { HealthModule } from './core/health/health.module.js';
import { MetricsModule } from './core/metrics/metrics.module.js';
import { WorkerHeartbeatModule } from './core/queue/index.js';
import { CallsModule } from './modules/calls/calls.module.js';
import { RateLimitModule } from './core/rate-limit/rate-limit.module.js';
import { ChatModule } from './modules/chat/chat.module.js';
import { ConnectionsModule } from './modules/connections/connections.module.js';
import { MediaModule } from './modules/media/media.module.js';
import { PresenceModule } from './modules/presence/presence.module.js';
import { ProfileModule } from './modules/profile/index.js';
import { AuthModule, JwtSocketAuthenticator } from './modules/auth/index.js';
import { QrModule } from './modules/qr/qr.module.js';
import { StatusModule } from './modules/status/index.js';
import { NotificationsModule } from './modules/notifications/index.js';

/** The api process: HTTP + Socket.IO. It enqueues jobs but never processes them. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        MetricsModule,
        RateLimitModule,
        HealthModule,
        AdminModule.register(config),
        AuthModule,
        RealtimeModule.forRoot({
          rateLimits: config.socket.rateLimit,
          authenticator: JwtSocketAuthenticator,
          imports: [AuthModule],
          tokenGraceSeconds: config.socketAuth.tokenGraceSeconds,
        }),
        WorkerHeartbeatModule.forApi(),
        StorageModule.forRoot(config.storage),
        ProfileModule,
        ConnectionsModule.forApi(),
        ConnectionsModule.directory(ConnectionsModule.forApi()),
        PresenceModule,
        QrModule.forApi(),
        ChatModule.forApi(),
        MediaModule.forApi(),
        CallsModule.forApi(),
        StatusModule.forApi(),
        NotificationsModule.forApi(),
      ],
    };
  }
}
