import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '../../config/index.js';
import { SchedulerKeeper } from '../../core/scheduling/scheduler-keeper.js';
import { MediaCatalog } from './media-catalog.service.js';
import { MediaJob, type MediaJobPayloads, MediaQueue } from './media.jobs.js';
import { MediaRepository } from './media.repository.js';

export const SWEEP_EVERY_MS = 15 * 60_000;
const SWEEP_BATCH = 500;

/** Deletes media nothing uses: never attached within the orphan TTL, or their owner's account is gone. */
@Injectable()
export class MediaCleanupService {
  constructor(
    @InjectQueue(MediaQueue.Media) private readonly queue: Queue,
    private readonly schedulers: SchedulerKeeper,
    private readonly repo: MediaRepository,
    private readonly catalog: MediaCatalog,
    private readonly config: AppConfig,
  ) {}

  /** Upserting the scheduler from every worker keeps exactly one schedule. */
  async schedule(): Promise<void> {
    const data: MediaJobPayloads[MediaJob.SweepOrphans] = { requestedBy: 'scheduler' };
    await this.schedulers.keep(this.queue, 'media-sweep-orphans', { every: SWEEP_EVERY_MS }, { name: MediaJob.SweepOrphans, data });
  }

  /** Idempotent; the conditional delete loses to an attach that lands meanwhile. */
  async sweepOrphans(now = new Date()): Promise<{ deleted: number }> {
    const cutoff = new Date(now.getTime() - this.config.media.orphanTtlSeconds * 1000);
    let deleted = 0;
    for (const media of await this.repo.findUnattachedBefore(cutoff, SWEEP_BATCH)) {
      if (media.refs.length === 0 && (await this.catalog.remove(media))) deleted++;
    }
    return { deleted };
  }

  /** The account is gone: its media go too, whatever references them (the messages go with chat's own cleanup). */
  async deleteOwnedBy(userId: string): Promise<{ deleted: number }> {
    let deleted = 0;
    for (const media of await this.repo.findByOwner(userId)) {
      if (await this.catalog.removeRegardless(media)) deleted++;
    }
    return { deleted };
  }
}
