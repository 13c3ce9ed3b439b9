import { type DynamicModule, Module } from '@nestjs/common';
import { AuthCleanupModule } from '../auth/auth-cleanup.js';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { MaintenanceScheduler } from './maintenance.scheduler.js';
import { MaintenanceService } from './maintenance.service.js';

/** The api only enqueues; the worker process also registers the processor and the job schedules. */
@Module({})
export class MaintenanceModule {
  static forApi(): DynamicModule {
    return { module: MaintenanceModule, providers: [MaintenanceService], exports: [MaintenanceService] };
  }

  static forWorker(): DynamicModule {
    return {
      module: MaintenanceModule,
      imports: [AuthCleanupModule],
      providers: [MaintenanceService, MaintenanceProcessor, MaintenanceScheduler],
      exports: [MaintenanceService],
    };
  }
}
