import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MaintenanceService } from './maintenance.service.js';

@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap {
  constructor(private readonly maintenance: MaintenanceService) {}

  onApplicationBootstrap(): Promise<void> {
    return this.maintenance.scheduleJobs();
  }
}
