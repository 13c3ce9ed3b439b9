import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QrJob, type QrJobPayloads, QrQueue } from '../qr.jobs.js';
import { QrRepository } from '../qr.repository.js';
import { SchedulerKeeper } from '../../../core/scheduling/scheduler-keeper.js';

export const CLEANUP_EVERY_MS = 10 * 60_000;

/**
 * Deletes expired QR tokens. Only housekeeping: every query already ignores expired documents, so
 * nothing waits for this. Idempotent, so a repeated run is harmless.
 */
@Injectable()
export class QrCleanupService {
  constructor(
    @InjectQueue(QrQueue.Qr) private readonly queue: Queue,
    private readonly schedulers: SchedulerKeeper,
    private readonly tokens: QrRepository,
  ) {}

  /** Upserting the scheduler from every worker keeps exactly one schedule; kept if Redis loses it. */
  async schedule(): Promise<void> {
    await this.schedulers.keep(
      this.queue,
      'qr-cleanup',
      { every: CLEANUP_EVERY_MS },
      { name: QrJob.Cleanup, data: { requestedBy: 'scheduler' } satisfies QrJobPayloads[QrJob.Cleanup] },
    );
  }

  async run(now = new Date()): Promise<{ qrTokens: number }> {
    return { qrTokens: await this.tokens.deleteExpired(now) };
  }
}
