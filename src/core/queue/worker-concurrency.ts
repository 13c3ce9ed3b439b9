import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AppConfig } from '../../config/index.js';

/**
 * WORKER_CONCURRENCY for every processor: `@Processor()` options are fixed at decoration time, before
 * config is loaded, so the jobs each BullMQ worker runs in parallel are set once the workers exist.
 * The api process has no processors, so this does nothing there.
 */
@Injectable()
export class WorkerConcurrency implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const { instance } of this.discovery.getProviders()) {
      if (instance instanceof WorkerHost) (instance as WorkerHost).worker.concurrency = this.config.worker.concurrency;
    }
  }
}
