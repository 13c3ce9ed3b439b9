import { WorkerHost } from '@nestjs/bullmq';
import { QueueProcessor, type JobOf, unknownJob } from '../../../core/queue/index.js';
import { QrJob, type QrJobPayloads, QrQueue } from '../qr.jobs.js';
import { QrCleanupService } from './qr-cleanup.service.js';

/** Thin: job name -> service method. */
@QueueProcessor(QrQueue.Qr)
export class QrCleanupProcessor extends WorkerHost {
  constructor(private readonly cleanup: QrCleanupService) {
    super();
  }

  async process(job: JobOf<QrJobPayloads>): Promise<unknown> {
    switch (job.name) {
      case QrJob.Cleanup:
        return this.cleanup.run();
      default:
        throw unknownJob(job, job.name);
    }
  }
}
