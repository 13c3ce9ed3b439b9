import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { OnDomainEvent } from '@app/common';
import { MediaJob, type MediaJobPayloads, MediaQueue } from './media.jobs.js';

/** Account deletion fans out over every media item and its objects: done by the worker. */
@Injectable()
export class MediaListener {
  constructor(@InjectQueue(MediaQueue.Media) private readonly queue: Queue) {}

  @OnDomainEvent('user.deleted')
  async onUserDeleted(event: { userId: string }): Promise<void> {
    const data: MediaJobPayloads[MediaJob.DeleteOwned] = { userId: event.userId };
    await this.queue.add(MediaJob.DeleteOwned, data, { jobId: `delete-owned-${event.userId}` });
  }
}
