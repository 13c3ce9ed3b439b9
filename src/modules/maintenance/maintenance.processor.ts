import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { hostname } from 'node:os';
import { type JobName, type JobPayloads, MaintenanceJob, QueueName } from '../../core/queue/index.js';
import { AuthCleanup } from '../auth/auth-cleanup.js';
import { MaintenanceService } from './maintenance.service.js';

/** Thin: job name -> service method. Later issues add their cleanup jobs here. */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends WorkerHost {
  constructor(
    private readonly maintenance: MaintenanceService,
    private readonly authCleanup: AuthCleanup,
  ) {
    super();
  }

  async process(job: Job<JobPayloads[JobName], unknown, JobName>): Promise<unknown> {
    switch (job.name) {
      case MaintenanceJob.Heartbeat:
        return this.maintenance.recordHeartbeat(`${hostname()}:${process.pid}`);
      case MaintenanceJob.AuthCleanup:
        return this.authCleanup.run();
      default:
        throw new Error(`No handler for maintenance job "${String(job.name)}"`);
    }
  }
}
