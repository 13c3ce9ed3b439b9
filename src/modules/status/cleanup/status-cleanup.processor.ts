import { WorkerHost } from '@nestjs/bullmq';
import { QueueProcessor, type JobOf, unknownJob } from '../../../core/queue/index.js';
import { StatusJob, type StatusJobPayloads, StatusQueue } from '../status.jobs.js';
import { StatusCleanupService } from './status-cleanup.service.js';

/** Thin: job name -> service method. */
@QueueProcessor(StatusQueue.Status)
export class StatusCleanupProcessor extends WorkerHost {
  constructor(private readonly cleanup: StatusCleanupService) {
    super();
  }

  async process(job: JobOf<StatusJobPayloads>): Promise<unknown> {
    switch (job.name) {
      case StatusJob.Cleanup:
        return this.cleanup.run();
      default:
        throw unknownJob(job, job.name);
    }
  }
}
