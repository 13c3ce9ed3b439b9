import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config/index.js';
import { CoreModule } from './core/core.module.js';
import { ConnectionsModule } from './modules/connections/connections.module.js';
import { MaintenanceModule } from './modules/maintenance/maintenance.module.js';
import { QrModule } from './modules/qr/qr.module.js';

/** The worker process: BullMQ processors and job schedules, no HTTP listener. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config), MaintenanceModule.forWorker(), ConnectionsModule.forWorker(), QrModule.forWorker()],
    };
  }
}
