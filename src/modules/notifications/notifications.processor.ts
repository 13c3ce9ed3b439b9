import { WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { QueueProcessor, type JobOf, unknownJob } from '../../core/queue/index.js';
import { FanoutService, RetryablePushError } from './fanout.service.js';
import { NotificationsJob, type NotificationsJobPayloads, NotificationsQueue } from './notifications.jobs.js';

const MAX_BACKOFF_MS = 60 * 60_000;

/** Push retries: the push service's Retry-After when it gave one, else exponential from one second. */
export function pushBackoff(attemptsMade: number, _type?: string, err?: Error): number {
  if (err instanceof RetryablePushError && err.retryAfterMs !== null) return Math.min(MAX_BACKOFF_MS, Math.max(0, err.retryAfterMs));
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attemptsMade - 1));
}

/** Thin: job -> FanoutService method, each job name handled exactly once. */
@QueueProcessor(NotificationsQueue.Notifications, { settings: { backoffStrategy: pushBackoff } })
export class NotificationsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly fanout: FanoutService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Pushes wait on remote services: WORKER_CONCURRENCY jobs at once, so one slow service does not stall the rest. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  async process(job: JobOf<NotificationsJobPayloads>): Promise<unknown> {
    switch (job.name) {
      case NotificationsJob.Notify:
        return this.fanout.notify(job.data.draft);
      case NotificationsJob.ChatDigest:
        return this.fanout.chatDigest(job.data);
      case NotificationsJob.Push:
        return this.fanout.push(job.data);
      default: {
        const unhandled: never = job; // every job name has a case: a new one fails to compile here
        throw unknownJob(unhandled, (unhandled as { name: never }).name);
      }
    }
  }
}
