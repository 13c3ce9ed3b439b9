import { Injectable, Logger } from '@nestjs/common';
import { type DomainEvents, OnDomainEvent } from '@app/common';
import { MessageEditor } from './message-editor.service.js';

/**
 * Worker process only (ChatModule.forWorker): media.processed is emitted where the media job runs.
 * Messages sent while their media was processing show it ready (or failed) on both sides' devices.
 */
@Injectable()
export class ChatMediaListener {
  private readonly logger = new Logger(ChatMediaListener.name);

  constructor(private readonly editor: MessageEditor) {}

  @OnDomainEvent('media.processed')
  async onMediaProcessed(event: DomainEvents['media.processed']): Promise<void> {
    try {
      await this.editor.mediaProcessed(event.mediaId);
    } catch (err) {
      // The message keeps showing `processing` until it is fetched again (views render media as it is now).
      this.logger.error({ err, mediaId: event.mediaId }, 'announcing processed media to chats failed');
    }
  }
}
