import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { REDIS, type Redis } from '../../redis/redis.module.js';
import { RedisFactory } from '../../redis/index.js';
import { WorkerJob, type WorkerJobPayloads, WorkerQueue } from './worker-heartbeat.jobs.js';
import { SchedulerKeeper } from '../../scheduling/scheduler-keeper.js';

export const HEARTBEAT_EVERY_MS = 60_000;

@Injectable()
export class WorkerHeartbeat {
  constructor(
    @InjectQueue(WorkerQueue.Worker) private readonly queue: Queue,
    private readonly schedulers: SchedulerKeeper,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
  ) {}

  /** Idempotent: upserting the scheduler from every worker process keeps exactly one schedule. */
  async schedule(): Promise<void> {
    await this.schedulers.keep(
      this.queue,
      'worker-heartbeat',
      { every: HEARTBEAT_EVERY_MS },
      { name: WorkerJob.Heartbeat, data: { requestedBy: 'scheduler' } satisfies WorkerJobPayloads[WorkerJob.Heartbeat] },
    );
  }

  /** Records when a worker last ran a job, so an operator can tell from Redis whether workers are alive. */
  async record(workerId: string): Promise<{ at: string; workerId: string }> {
    const beat = { at: new Date().toISOString(), workerId };
    await this.redis.set(this.keys.key('worker', 'heartbeat'), JSON.stringify(beat), 'EX', 3600);
    return beat;
  }
}
