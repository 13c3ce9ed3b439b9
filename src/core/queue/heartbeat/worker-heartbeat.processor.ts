import { WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { type JobOf, unknownJob } from '../typed-job.js';
import { WorkerJob, type WorkerJobPayloads, WorkerQueue } from './worker-heartbeat.jobs.js';
import { WorkerHeartbeat } from './worker-heartbeat.service.js';
import { QueueProcessor } from '../queue-processor.js';

/** Thin: job name -> service method; schedules the beat when the worker starts. */
@QueueProcessor(WorkerQueue.Worker)
export class WorkerHeartbeatProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(private readonly heartbeat: WorkerHeartbeat) {
    super();
  }

  onApplicationBootstrap(): Promise<void> {
    return this.heartbeat.schedule();
  }

  async process(job: JobOf<WorkerJobPayloads>): Promise<unknown> {
    switch (job.name) {
      case WorkerJob.Heartbeat:
        return this.heartbeat.record(`${hostname()}:${process.pid}`);
      default:
        throw unknownJob(job, job.name);
    }
  }
}
