import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { AppError, ChatPoster, DomainEventBus, type PostedMessage, type StatusRefInfo } from '@app/common';
import { StatusGate } from './status-gate.js';
import type { StatusRecord } from './schemas/status.schema.js';

/**
 * Replies and reactions land in the 1-1 chat with the author as ordinary messages on the delivery
 * contract (ChatPoster: idempotent on clientMessageId, a seq, unread), quoting the status; the quote is
 * a copy, so the chat can still show it ("status unavailable") after the status expired.
 * ChatPoster is optional so the app boots where the chat module has not bound it (then 503).
 */
@Injectable()
export class StatusRepliesService {
  constructor(
    private readonly gate: StatusGate,
    private readonly events: DomainEventBus,
    @Optional() @Inject(ChatPoster) private readonly chat: ChatPoster | null,
  ) {}

  reply(viewerId: string, statusId: string, clientMessageId: string, text: string): Promise<PostedMessage> {
    return this.post(viewerId, statusId, 'reply', clientMessageId, text);
  }

  /** One reaction message per (viewer, status): a repeat returns the first one. */
  react(viewerId: string, statusId: string, emoji: string): Promise<PostedMessage> {
    return this.post(viewerId, statusId, 'reaction', `status-reaction-${statusId}`, emoji);
  }

  private async post(viewerId: string, statusId: string, kind: 'reply' | 'reaction', clientMessageId: string, text: string) {
    const status = await this.gate.forViewer(viewerId, statusId);
    if (!this.chat) throw new AppError(HttpStatus.SERVICE_UNAVAILABLE, 'chat_unavailable', 'Replies are not available');
    const posted = await this.chat.post(viewerId, status.authorId, { clientMessageId, type: 'text', text, statusRef: refOf(status) });
    if (posted.created) {
      this.events.emit('status.replied', {
        statusId,
        authorId: status.authorId,
        replierId: viewerId,
        chatId: posted.chatId,
        messageId: posted.messageId,
        kind,
        text,
      });
    }
    return posted;
  }
}

function refOf(s: StatusRecord): StatusRefInfo {
  return {
    id: s._id.toHexString(),
    authorId: s.authorId,
    kind: s.kind,
    text: s.kind === 'text' ? s.text : s.caption,
    thumbnailMediaId: s.mediaId,
    expiresAt: s.expiresAt.toISOString(),
  };
}
