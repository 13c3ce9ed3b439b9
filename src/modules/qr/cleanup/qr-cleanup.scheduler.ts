import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QrCleanupService } from './qr-cleanup.service.js';

@Injectable()
export class QrCleanupScheduler implements OnApplicationBootstrap {
  constructor(private readonly cleanup: QrCleanupService) {}

  onApplicationBootstrap(): Promise<void> {
    return this.cleanup.schedule();
  }
}
