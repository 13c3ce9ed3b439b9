import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { StatusCleanupService } from './status-cleanup.service.js';

@Injectable()
export class StatusCleanupScheduler implements OnApplicationBootstrap {
  constructor(private readonly cleanup: StatusCleanupService) {}

  onApplicationBootstrap(): Promise<void> {
    return this.cleanup.schedule();
  }
}
