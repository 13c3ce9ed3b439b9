import { InjectQueue, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueProcessor, type JobOf, unknownJob } from '../../core/queue/index.js';
import { ConnectionsJob, type ConnectionsJobPayloads, ConnectionsQueue } from './connections.jobs.js';
import { ConnectionsService } from './connections.service.js';
import { SchedulerKeeper } from '../../core/scheduling/scheduler-keeper.js';

export const REQUESTS_CLEANUP_EVERY_MS = 10 * 60_000;

/** Thin: job name -> service method; schedules the cleanup when the worker starts. */
@QueueProcessor(ConnectionsQueue.Connections)
export class ConnectionsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(ConnectionsQueue.Connections) private readonly queue: Queue,
    private readonly schedulers: SchedulerKeeper,
    private readonly connections: ConnectionsService,
  ) {
    super();
  }

  /** Upserting the scheduler from every worker keeps exactly one schedule. */
  async onApplicationBootstrap(): Promise<void> {
    await this.schedulers.keep(
      this.queue,
      'connections-requests-cleanup',
      { every: REQUESTS_CLEANUP_EVERY_MS },
      {
        name: ConnectionsJob.RequestsCleanup,
        data: { requestedBy: 'scheduler' } satisfies ConnectionsJobPayloads[ConnectionsJob.RequestsCleanup],
      },
    );
  }

  async process(job: JobOf<ConnectionsJobPayloads>): Promise<unknown> {
    switch (job.name) {
      case ConnectionsJob.RequestsCleanup:
        return { requests: await this.connections.deleteExpiredRequests() };
      default:
        throw unknownJob(job, job.name);
    }
  }
}
