import { WorkerHost } from '@nestjs/bullmq';
import { type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '../../config/index.js';
import { MediaCleanupService } from './media-cleanup.service.js';
import { MediaProcessingService } from './media-processing.service.js';
import { MediaJob, type MediaJobName, type MediaJobPayloads, MediaQueue } from './media.jobs.js';
import { QueueProcessor } from '../../core/queue/index.js';

/**
 * Thin: job name -> service method. The transcoding processor of the design: only in the worker.
 * A worker killed mid-transcode hands its job on within about 2.5 x WORKER_STALLED_INTERVAL_MS (locks
 * renew while ffmpeg runs, since the work is in child processes); up to 3 such stalls before it fails.
 */
@QueueProcessor(MediaQueue.Media, { maxStalledCount: 3 })
export class MediaProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly processing: MediaProcessingService,
    private readonly cleanup: MediaCleanupService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** WORKER_CONCURRENCY jobs at once: a sweep or an account deletion need not wait behind one long transcode. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  async process(job: Job<MediaJobPayloads[MediaJobName], unknown, MediaJobName>): Promise<unknown> {
    switch (job.name) {
      case MediaJob.Process:
        return this.processing.process((job.data as MediaJobPayloads[MediaJob.Process]).mediaId);
      case MediaJob.SweepOrphans:
        return this.cleanup.sweepOrphans();
      case MediaJob.DeleteOwned:
        return this.cleanup.deleteOwnedBy((job.data as MediaJobPayloads[MediaJob.DeleteOwned]).userId);
      default:
        throw new Error(`No handler for media job "${String(job.name)}"`);
    }
  }
}
