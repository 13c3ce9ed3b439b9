import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { AppConfig } from '../../config/index.js';
import { type ChatAccess, ChatAccessService } from './chat-access.service.js';
import { ChatMedia } from './chat-media.js';
import { normaliseText, withinWindow } from './chat-rules.js';
import { MessageRenderer } from './message-renderer.js';
import { invalidText } from './message-sender.service.js';
import type { MessageView } from './message-view.js';
import { type ChangeStamp, MessageRepository } from './message.repository.js';
import { ChatRepository } from './chat.repository.js';
import { InflightSends } from './inflight-sends.js';
import type { MessageRecord } from './schemas/message.schema.js';

const messageNotFound = (): AppError => new AppError(HttpStatus.NOT_FOUND, 'message_not_found', 'Message not found');
const messageDeleted = (): AppError => new AppError(HttpStatus.CONFLICT, 'message_deleted', 'The message was deleted for everyone');

/**
 * Changes to stored messages: edit, delete (for me / for everyone) and reactions, each announced as
 * `message:updated` to the devices that show the message and stamped with the chat's change seq for
 * devices that were offline (chat:sync `changes`).
 */
@Injectable()
export class MessageEditor {
  constructor(
    private readonly access: ChatAccessService,
    private readonly messages: MessageRepository,
    private readonly renderer: MessageRenderer,
    private readonly realtime: RealtimeEmitter,
    private readonly config: AppConfig,
    private readonly chats: ChatRepository,
    private readonly inflight: InflightSends,
    private readonly media: ChatMedia,
  ) {}

  /** The sender edits the text within the edit window; the other side gets `message:updated`. */
  async edit(userId: string, chatId: string, messageId: string, text: string): Promise<MessageView> {
    const access = await this.access.require(userId, chatId);
    const message = await this.visibleMessage(access, messageId);
    this.requireSender(message, userId);
    if (message.deletedForEveryone) throw messageDeleted();
    if (message.type === 'call') throw new AppError(HttpStatus.CONFLICT, 'not_editable', 'Call messages cannot be edited');
    if (!withinWindow(message.createdAt, this.config.chat.editWindowMs)) {
      throw new AppError(HttpStatus.FORBIDDEN, 'edit_window_passed', 'Messages can only be edited shortly after sending');
    }
    const clean = normaliseText(text);
    if (clean === null) throw invalidText();
    const updated = await this.changing(chatId, (change) => this.messages.setText(messageId, chatId, userId, clean, change));
    if (!updated) throw messageDeleted();
    return this.announce(access, updated, 'edited');
  }

  /** `me`: hidden for the caller only. `everyone`: the sender, within the window; a tombstone stays. */
  async remove(userId: string, chatId: string, messageId: string, scope: 'me' | 'everyone'): Promise<void> {
    const access = await this.access.require(userId, chatId);
    const message = await this.visibleMessage(access, messageId);
    const now = new Date();
    if (scope === 'me') {
      const hidden = await this.changing(chatId, (change) => this.messages.hideFor(messageId, chatId, userId, change));
      if (hidden)
        this.realtime.toUser(userId, 'message:updated', { chatId, kind: 'hidden', message: await this.renderer.renderOne(hidden) });
      return;
    }
    this.requireSender(message, userId);
    if (message.deletedForEveryone) return; // already a tombstone: deleting again changes nothing
    if (!withinWindow(message.createdAt, this.config.chat.deleteWindowMs, now)) {
      throw new AppError(HttpStatus.FORBIDDEN, 'delete_window_passed', 'This message is too old to delete for everyone');
    }
    const tombstone = await this.changing(chatId, (change) => this.messages.tombstone(messageId, chatId, userId, change));
    if (!tombstone) return;
    await this.announce(access, tombstone, 'deleted');
    // The tombstone no longer shows the media: media referenced by nothing else is deleted.
    await this.media.detach(message);
  }

  /**
   * media.processed (in the worker, where media jobs run): every live message carrying the item is
   * stamped as changed and re-rendered (status ready with signed URLs, or failed) to both participants.
   */
  async mediaProcessed(mediaId: string): Promise<void> {
    for (const message of await this.messages.withMedia(mediaId)) {
      const chatId = message.chatId.toHexString();
      const updated = await this.changing(chatId, (change) => this.messages.markMediaChanged(message._id.toHexString(), change));
      if (!updated) continue; // deleted for everyone meanwhile
      const participants = await this.access.participantsOf(chatId);
      if (!participants) continue;
      const view = await this.renderer.renderOne(updated);
      this.realtime.toUsers(participants, 'message:updated', { chatId, kind: 'media', message: view });
    }
  }

  /** One reaction per user per message (`emoji` null removes it). */
  async react(userId: string, chatId: string, messageId: string, emoji: string | null): Promise<MessageView> {
    const access = await this.access.require(userId, chatId);
    const message = await this.visibleMessage(access, messageId);
    if (message.deletedForEveryone) throw messageDeleted();
    const updated = await this.changing(chatId, (change) => this.messages.setReaction(messageId, chatId, userId, emoji, change));
    if (!updated) throw messageDeleted();
    return this.announce(access, updated, 'reaction');
  }

  /**
   * A change takes the chat's next change seq and stores it on the message in the same update
   * (`$max`), marked in flight from before the seq is taken until stored, so chat:sync never moves a
   * change cursor past a change still being stored (inflight-sends.ts).
   */
  private async changing<T>(chatId: string, apply: (change: ChangeStamp) => Promise<T>): Promise<T> {
    const mark = await this.inflight.begin(chatId, 'changes');
    try {
      const seq = await this.chats.allocateChangeSeq(chatId);
      return await apply({ seq, at: new Date() });
    } finally {
      this.inflight.end(chatId, mark, 'changes');
    }
  }

  private async visibleMessage(access: ChatAccess, messageId: string): Promise<MessageRecord> {
    const message = await this.messages.findById(messageId);
    if (!message || message.chatId.toHexString() !== access.chatId || message.hiddenFor?.[access.userId] === true) throw messageNotFound();
    return message;
  }

  private requireSender(message: MessageRecord, userId: string): void {
    if (message.senderId.toHexString() !== userId) {
      throw new AppError(HttpStatus.FORBIDDEN, 'not_sender', 'Only the sender can do this');
    }
  }

  private async announce(access: ChatAccess, record: MessageRecord, kind: 'edited' | 'deleted' | 'reaction'): Promise<MessageView> {
    const message = await this.renderer.renderOne(record);
    this.realtime.toUsers([access.peerId, access.userId], 'message:updated', { chatId: access.chatId, kind, message });
    return message;
  }
}
