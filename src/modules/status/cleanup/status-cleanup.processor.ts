import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { StatusJob, type StatusJobName, type StatusJobPayloads, StatusQueue } from '../status.jobs.js';
import { StatusCleanupService } from './status-cleanup.service.js';

/** Thin: job name -> service method. */
@Processor(StatusQueue.Status)
export class StatusCleanupProcessor extends WorkerHost {
  constructor(private readonly cleanup: StatusCleanupService) {
    super();
  }

  async process(job: Job<StatusJobPayloads[StatusJobName], unknown, StatusJobName>): Promise<unknown> {
    switch (job.name) {
      case StatusJob.Cleanup:
        return this.cleanup.run();
      default:
        throw new Error(`No handler for status job "${String(job.name)}"`);
    }
  }
}
