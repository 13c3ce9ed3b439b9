import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { AppConfig } from '../../config/index.js';
import { type ChatAccess, ChatAccessService } from './chat-access.service.js';
import { normaliseText, withinWindow } from './chat-rules.js';
import { MessageRenderer } from './message-renderer.js';
import { invalidText } from './message-sender.service.js';
import type { MessageView } from './message-view.js';
import { MessageRepository } from './message.repository.js';
import type { MessageRecord } from './schemas/message.schema.js';

const messageNotFound = (): AppError => new AppError(HttpStatus.NOT_FOUND, 'message_not_found', 'Message not found');
const messageDeleted = (): AppError => new AppError(HttpStatus.CONFLICT, 'message_deleted', 'The message was deleted for everyone');

/**
 * Changes to stored messages: edit, delete (for me / for everyone) and reactions, each announced as
 * `message:updated` to the devices that show the message.
 */
@Injectable()
export class MessageEditor {
  constructor(
    private readonly access: ChatAccessService,
    private readonly messages: MessageRepository,
    private readonly renderer: MessageRenderer,
    private readonly realtime: RealtimeEmitter,
    private readonly config: AppConfig,
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
    const updated = await this.messages.setText(messageId, chatId, userId, clean, new Date());
    if (!updated) throw messageDeleted();
    return this.announce(access, updated, 'edited');
  }

  /** `me`: hidden for the caller only. `everyone`: the sender, within the window; a tombstone stays. */
  async remove(userId: string, chatId: string, messageId: string, scope: 'me' | 'everyone'): Promise<void> {
    const access = await this.access.require(userId, chatId);
    const message = await this.visibleMessage(access, messageId);
    const now = new Date();
    if (scope === 'me') {
      const hidden = await this.messages.hideFor(messageId, chatId, userId, now);
      if (hidden)
        this.realtime.toUser(userId, 'message:updated', { chatId, kind: 'hidden', message: await this.renderer.renderOne(hidden) });
      return;
    }
    this.requireSender(message, userId);
    if (message.deletedForEveryone) return; // already a tombstone: deleting again changes nothing
    if (!withinWindow(message.createdAt, this.config.chat.deleteWindowMs, now)) {
      throw new AppError(HttpStatus.FORBIDDEN, 'delete_window_passed', 'This message is too old to delete for everyone');
    }
    const tombstone = await this.messages.tombstone(messageId, chatId, userId, now);
    if (tombstone) await this.announce(access, tombstone, 'deleted');
  }

  /** One reaction per user per message (`emoji` null removes it). */
  async react(userId: string, chatId: string, messageId: string, emoji: string | null): Promise<MessageView> {
    const access = await this.access.require(userId, chatId);
    const message = await this.visibleMessage(access, messageId);
    if (message.deletedForEveryone) throw messageDeleted();
    const updated = await this.messages.setReaction(messageId, chatId, userId, emoji, new Date());
    if (!updated) throw messageDeleted();
    return this.announce(access, updated, 'reaction');
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
