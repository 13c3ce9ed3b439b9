import { type DynamicModule, Module } from '@nestjs/common';
import { RealtimeModule } from '@app/realtime';
import type { AppConfig } from './config/index.js';
import { AdminModule } from './core/admin/admin.module.js';
import { CoreModule } from './core/core.module.js';
import { HealthModule } from './core/health/health.module.js';
import { MetricsModule } from './core/metrics/metrics.module.js';
import { MaintenanceModule } from './modules/maintenance/maintenance.module.js';

/** The api process: HTTP + Socket.IO. It enqueues jobs but never processes them. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        MetricsModule,
        HealthModule,
        AdminModule.register(config),
        RealtimeModule.forRoot(),
        MaintenanceModule.forApi(),
      ],
    };
  }
}
