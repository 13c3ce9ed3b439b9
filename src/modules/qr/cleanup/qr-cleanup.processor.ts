import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ConnectionsJob, type JobName, type JobPayloads, QueueName } from '../../../core/queue/queues.js';
import { QrCleanupService } from './qr-cleanup.service.js';

/** Thin: job name -> service method. */
@Processor(QueueName.Connections)
export class QrCleanupProcessor extends WorkerHost {
  constructor(private readonly cleanup: QrCleanupService) {
    super();
  }

  async process(job: Job<JobPayloads[JobName], unknown, JobName>): Promise<unknown> {
    switch (job.name) {
      case ConnectionsJob.Cleanup:
        return this.cleanup.run();
      default:
        throw new Error(`No handler for connections job "${String(job.name)}"`);
    }
  }
}
