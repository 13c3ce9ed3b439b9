import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ConnectionsJob, type JobPayloads, QueueName } from '../../../core/queue/queues.js';
import { SchedulerKeeper } from '../../../core/scheduling/scheduler-keeper.js';
import { ConnectionsService } from '../../connections/index.js';
import { QrRepository } from '../qr.repository.js';

export const CLEANUP_EVERY_MS = 10 * 60_000;

/**
 * Deletes expired QR tokens and connection requests. Only housekeeping: every query already
 * ignores expired documents, so nothing waits for this. Idempotent, so a repeated run is harmless.
 */
@Injectable()
export class QrCleanupService {
  constructor(
    @InjectQueue(QueueName.Connections) private readonly queue: Queue,
    private readonly tokens: QrRepository,
    private readonly connections: ConnectionsService,
    private readonly schedulers: SchedulerKeeper,
  ) {}

  /** Upserting the scheduler from every worker keeps exactly one schedule; kept if Redis loses it. */
  async schedule(): Promise<void> {
    await this.schedulers.keep(
      this.queue,
      'connections-cleanup',
      { every: CLEANUP_EVERY_MS },
      { name: ConnectionsJob.Cleanup, data: { requestedBy: 'scheduler' } satisfies JobPayloads[ConnectionsJob.Cleanup] },
    );
  }

  async run(now = new Date()): Promise<{ qrTokens: number; requests: number }> {
    const [qrTokens, requests] = await Promise.all([this.tokens.deleteExpired(now), this.connections.deleteExpiredRequests(now)]);
    return { qrTokens, requests };
  }
}
