import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { REDIS, type Redis } from '../../core/redis/redis.module.js';
import { RedisFactory } from '../../core/redis/index.js';
import { type JobPayloads, MaintenanceJob, QueueName } from '../../core/queue/index.js';
import { SchedulerKeeper } from '../../core/scheduling/scheduler-keeper.js';

export const HEARTBEAT_EVERY_MS = 60_000;
export const AUTH_CLEANUP_EVERY_MS = 3_600_000;

@Injectable()
export class MaintenanceService {
  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
    private readonly schedulers: SchedulerKeeper,
  ) {}

  /** Idempotent: upserting the scheduler from every worker process keeps exactly one schedule; kept if Redis loses it. */
  async scheduleJobs(): Promise<void> {
    await this.schedulers.keep(
      this.queue,
      'maintenance-heartbeat',
      { every: HEARTBEAT_EVERY_MS },
      { name: MaintenanceJob.Heartbeat, data: { requestedBy: 'scheduler' } satisfies JobPayloads['heartbeat'] },
    );
    await this.schedulers.keep(
      this.queue,
      'auth-cleanup',
      { every: AUTH_CLEANUP_EVERY_MS },
      { name: MaintenanceJob.AuthCleanup, data: { requestedBy: 'scheduler' } satisfies JobPayloads['auth.cleanup'] },
    );
  }

  /** Records when a worker last ran a job; readers can tell whether workers are alive. */
  async recordHeartbeat(workerId: string): Promise<{ at: string; workerId: string }> {
    const beat = { at: new Date().toISOString(), workerId };
    await this.redis.set(this.keys.key('worker', 'heartbeat'), JSON.stringify(beat), 'EX', 3600);
    return beat;
  }

  async lastHeartbeat(): Promise<{ at: string; workerId: string } | null> {
    const raw = await this.redis.get(this.keys.key('worker', 'heartbeat'));
    return raw ? (JSON.parse(raw) as { at: string; workerId: string }) : null;
  }
}
