import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MediaCleanupService } from './media-cleanup.service.js';

@Injectable()
export class MediaScheduler implements OnApplicationBootstrap {
  constructor(private readonly cleanup: MediaCleanupService) {}

  onApplicationBootstrap(): Promise<void> {
    return this.cleanup.schedule();
  }
}
