import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { StatusMedia } from '../status-media.js';
import { StatusRepository } from '../status.repository.js';
import { StatusViewsRepository } from '../status-views.repository.js';
import { StatusJob, type StatusJobPayloads, StatusQueue } from '../status.jobs.js';
import { SchedulerKeeper } from '../../../core/scheduling/scheduler-keeper.js';

export const STATUS_CLEANUP_EVERY_MS = 60_000;
const BATCH = 500;

/**
 * Deletes what has expired: the statuses, their audience rows and views, and releases their media so the
 * media module deletes the bytes. Only housekeeping (every query already ignores expired statuses), and
 * idempotent: media is released before the status document goes, so a run that stops half-way redoes it.
 */
@Injectable()
export class StatusCleanupService {
  private readonly logger = new Logger(StatusCleanupService.name);

  constructor(
    @InjectQueue(StatusQueue.Status) private readonly queue: Queue,
    private readonly schedulers: SchedulerKeeper,
    private readonly repo: StatusRepository,
    private readonly views: StatusViewsRepository,
    private readonly media: StatusMedia,
  ) {}

  /** Upserting the scheduler from every worker keeps exactly one schedule. */
  async schedule(): Promise<void> {
    await this.schedulers.keep(
      this.queue,
      'status-cleanup',
      { every: STATUS_CLEANUP_EVERY_MS },
      { name: StatusJob.Cleanup, data: { requestedBy: 'scheduler' } satisfies StatusJobPayloads[StatusJob.Cleanup] },
    );
  }

  async run(now = new Date()): Promise<{ statuses: number; audience: number; views: number }> {
    const total = { statuses: 0, audience: 0, views: 0 };
    for (;;) {
      const expired = await this.repo.expired(now, BATCH);
      for (const s of expired) await this.media.detach(s);
      const views = await this.views.deleteExpired(now);
      const { statuses, audience } = await this.repo.deleteExpired(
        expired.map((s) => s._id),
        now,
      );
      total.statuses += statuses;
      total.audience += audience;
      total.views += views;
      if (expired.length < BATCH) break;
    }
    if (total.statuses > 0) this.logger.log(total, 'status cleanup');
    return total;
  }
}
