import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JobSchedulerTemplateOptions, Queue, RepeatOptions } from 'bullmq';
import { AppConfig } from '../../config/index.js';

interface Kept {
  queue: Queue;
  schedulerId: string;
  repeat: Omit<RepeatOptions, 'key'>;
  template: { name: string; data: unknown; opts?: JobSchedulerTemplateOptions };
}

/**
 * Keeps BullMQ job schedulers alive. They live only in Redis: when Redis comes back empty (restart
 * without persistence, failover to an empty replica, FLUSHALL) every schedule is gone, and creating
 * them only at boot means the scheduled jobs never run again until a worker restarts. Modules call
 * `keep()` instead of `queue.upsertJobScheduler()`; the keeper upserts at once, then checks every
 * SCHEDULER_CHECK_MS (one HGET-like read per scheduler) and re-creates what is missing.
 * Upserting is idempotent, so every worker process may keep the same schedulers.
 */
@Injectable()
export class SchedulerKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerKeeper.name);
  private readonly kept = new Map<string, Kept>();
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;

  constructor(private readonly config: AppConfig) {}

  /** Upserts the scheduler now and keeps it: the same arguments as Queue.upsertJobScheduler. */
  async keep(queue: Queue, schedulerId: string, repeat: Kept['repeat'], template: Kept['template']): Promise<void> {
    const entry: Kept = { queue, schedulerId, repeat, template };
    this.kept.set(`${queue.name}/${schedulerId}`, entry);
    await this.upsert(entry);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.check(), this.config.schedulerCheckMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Re-creates every kept scheduler Redis no longer has; failures wait for the next check. */
  check(): Promise<void> {
    this.checking ??= this.checkAll().finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkAll(): Promise<void> {
    for (const entry of this.kept.values()) {
      try {
        if (await entry.queue.getJobScheduler(entry.schedulerId)) continue;
        await this.upsert(entry);
        this.logger.warn(
          { queue: entry.queue.name, scheduler: entry.schedulerId },
          'job scheduler was missing (Redis lost it): re-created',
        );
      } catch (err) {
        this.logger.debug?.({ err: (err as Error).message, scheduler: entry.schedulerId }, 'scheduler check failed; retried later');
      }
    }
  }

  private upsert({ queue, schedulerId, repeat, template }: Kept): Promise<unknown> {
    return queue.upsertJobScheduler(schedulerId, repeat, template);
  }
}
