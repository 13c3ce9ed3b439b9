import { Injectable, Logger } from '@nestjs/common';
import { type DomainEvents, OnDomainEvent } from '@app/common';
import { StatusService } from './status.service.js';

/**
 * Worker process only: media.processed is emitted where the media job runs, so statuses waiting for
 * that media are released (or failed) here, and `status:new` goes out from the worker.
 */
@Injectable()
export class StatusMediaListener {
  private readonly logger = new Logger(StatusMediaListener.name);

  constructor(private readonly statuses: StatusService) {}

  @OnDomainEvent('media.processed')
  async onMediaProcessed({ mediaId, status }: DomainEvents['media.processed']): Promise<void> {
    await this.statuses.mediaProcessed(mediaId, status).catch((err: unknown) => {
      this.logger.warn({ err, mediaId }, 'status: releasing statuses of processed media failed');
    });
  }
}
