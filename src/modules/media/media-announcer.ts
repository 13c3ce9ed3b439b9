import { Injectable } from '@nestjs/common';
import { DomainEventBus } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { MediaRepository } from './media.repository.js';

/**
 * A media item reached its final state: to the owner's devices (media:processed) and to chat and
 * status (domain event media.processed, heard in the process that sets the state: the worker after
 * processing, the api after a cancel). Called only by whoever set the state, so once per media item.
 */
@Injectable()
export class MediaAnnouncer {
  constructor(
    private readonly repo: MediaRepository,
    private readonly realtime: RealtimeEmitter,
    private readonly events: DomainEventBus,
  ) {}

  async announce(id: string): Promise<void> {
    const media = await this.repo.findById(id);
    if (!media || media.status === 'processing') return;
    this.realtime.toUser(media.ownerId, 'media:processed', {
      id: media.id,
      status: media.status,
      kind: media.kind,
      failureReason: media.failureReason,
      mimeType: media.mimeType,
      sizeBytes: media.sizeBytes,
      width: media.width,
      height: media.height,
      durationMs: media.durationMs,
      waveform: media.waveform,
      pageCount: media.pageCount,
      placeholder: media.placeholder,
    });
    await this.events.emitAsync('media.processed', { mediaId: media.id, ownerId: media.ownerId, status: media.status });
  }
}
