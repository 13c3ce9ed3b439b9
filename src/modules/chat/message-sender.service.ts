import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppError, DomainEventBus, type PostMessageInput, messageIdFor, isDuplicateKey } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { type ChatAccess, ChatAccessService } from './chat-access.service.js';
import { normaliseText } from './chat-rules.js';
import { ChatMedia } from './chat-media.js';
import { ChatRepository } from './chat.repository.js';
import { InflightSends } from './inflight-sends.js';
import { MessageBatchWriter } from './message-batch-writer.js';
import { MessageRenderer } from './message-renderer.js';
import type { MessageView } from './message-view.js';
import { MessageRepository } from './message.repository.js';
import { type Draft, postedDraft } from './posted-draft.js';
import type { MessageRecord } from './schemas/message.schema.js';

export interface SendInput {
  clientMessageId: string;
  /** The text, or the caption of attachments (then optional). */
  text?: string;
  /** Media ids (the sender's own, uploaded through /media), 1-10. */
  attachments?: string[];
  replyTo?: string;
  /** The socket the send came over: it gets the ack, so `chat:receive` skips it (REST: none). */
  originSocketId?: string;
}

export interface Sent {
  message: MessageView;
  /** false: a retry (or a duplicate that lost the insert race) answered with the original. */
  created: boolean;
}

/** A promise's outcome as a value, so one failure among parallel lookups can be decided on later. */
function settle<T>(p: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

export const invalidText = (): AppError =>
  new AppError(HttpStatus.BAD_REQUEST, 'invalid_text', 'text must be 1-4096 characters after trimming');

/**
 * Storing new messages on the delivery contract (docs/chat.md), for users' sends and ChatPoster alike:
 * idempotent on (sender, clientMessageId), seq from the chat's atomic counter, acked and delivered
 * only once stored, `message.created` once per stored message.
 */
@Injectable()
export class MessageSender {
  private readonly logger = new Logger(MessageSender.name);

  constructor(
    private readonly access: ChatAccessService,
    private readonly chats: ChatRepository,
    private readonly messages: MessageRepository,
    private readonly renderer: MessageRenderer,
    private readonly media: ChatMedia,
    private readonly realtime: RealtimeEmitter,
    private readonly inflight: InflightSends,
    private readonly events: DomainEventBus,
    private readonly writer: MessageBatchWriter,
  ) {}

  /**
   * A user's message, by chat id or (before a chat exists) by peer id: a text, or media with an
   * optional caption (the type follows from the media).
   */
  async send(userId: string, target: { chatId?: string; peerId?: string }, input: SendInput): Promise<Sent> {
    const mediaIds = input.attachments ?? [];
    const text = input.text === undefined ? null : normaliseText(input.text);
    if (input.text !== undefined && text === null) throw invalidText();
    if (text === null && mediaIds.length === 0) {
      throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', 'text is required without attachments', {
        fields: { text: ['text is required without attachments'] },
      });
    }
    return this.store(userId, () => this.access.resolve(userId, target), {
      clientMessageId: input.clientMessageId,
      type: 'text',
      text,
      mediaIds,
      replyTo: input.replyTo,
      originSocketId: input.originSocketId,
    });
  }

  /**
   * ChatPoster (calls, status): a message from `senderId` to `peerId` on exactly the path of a user's
   * send (same access rules, idempotency, seq, delivery, unread, `message.created`).
   */
  async post(senderId: string, peerId: string, input: PostMessageInput): Promise<Sent> {
    const draft = postedDraft(input);
    return this.store(senderId, () => this.access.requirePeer(senderId, peerId), draft);
  }

  /**
   * The hot path (docs/performance.md): stage 1 runs in parallel the access check (participants from
   * the per-process cache, ContactDirectory.canInteract), the lookup of an original by its derived
   * `_id` (a retry) and of the replied-to message; stage 2 takes the seq from the chat's atomic `$inc`;
   * stage 3 inserts. Delivery and the ack happen only after the insert succeeded.
   */
  private async store(userId: string, resolveAccess: () => Promise<ChatAccess>, draft: Draft): Promise<Sent> {
    const messageId = messageIdFor(userId, draft.clientMessageId);
    // The lookups start before access is known, but nothing they find is used unless access holds.
    // The media check's error counts only for a first send: a retry answers with the original.
    const [access, existing, replied, media] = await Promise.all([
      resolveAccess(),
      this.messages.findById(messageId),
      draft.replyTo ? this.messages.findById(draft.replyTo) : Promise.resolve(null),
      draft.mediaIds?.length ? settle(this.media.forSend(userId, draft.mediaIds)) : Promise.resolve(null),
    ]);
    const { chatId } = access;
    if (existing) return { message: await this.retried(existing, access, draft.originSocketId), created: false };
    if (media && 'error' in media) throw media.error;
    if (draft.replyTo && !this.canReplyTo(replied, chatId, userId)) {
      throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_reply', 'replyTo must be a message of this chat that is not deleted');
    }

    // Marked before the seq is taken and unmarked once stored or failed: forward readers (sync, history
    // after a seq) must not move a cursor past a seq that may still be stored (inflight-sends.ts).
    const mark = await this.inflight.begin(chatId);
    let record: MessageRecord;
    try {
      const now = new Date();
      const seq = await this.chats.allocateSeq(chatId, access.participants, messageId, now);
      record = {
        _id: new Types.ObjectId(messageId),
        chatId: new Types.ObjectId(chatId),
        seq,
        senderId: new Types.ObjectId(userId),
        clientMessageId: draft.clientMessageId,
        type: media?.value.type ?? draft.type,
        text: draft.text,
        attachments: media?.value.attachments ?? [],
        replyTo: replied ? replied._id : null,
        call: draft.call ?? null,
        statusRef: draft.statusRef ?? null,
        reactions: {},
        editedAt: null,
        deletedForEveryone: false,
        hiddenFor: {},
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.writer.insert(record);
      } catch (err) {
        // A concurrent duplicate of this send won the insert: answer with it. The seq allocated
        // here stays unused (a gap; see docs/chat.md).
        if (!isDuplicateKey(err)) throw err;
        const original = await this.messages.findById(messageId);
        if (!original) throw err;
        this.logger.debug({ chatId, seq }, 'concurrent duplicate send: seq left unused');
        return { message: await this.retried(original, access, draft.originSocketId), created: false };
      }
    } finally {
      this.inflight.end(chatId, mark);
    }
    // Before the ack: media not attached to anything is swept. Should this fail, the client's retry
    // finds the stored message and attaches again.
    await this.media.attach(record);
    const message = await this.renderer.renderOne(record, replied ? [replied] : []);
    this.deliver(access, message, draft.originSocketId);
    this.events.emit('message.created', {
      messageId,
      chatId,
      seq: record.seq,
      senderId: userId,
      recipientId: access.peerId,
      type: record.type,
      text: record.text,
      createdAt: message.createdAt,
    });
    return { message, created: true };
  }

  /**
   * chat:receive to the peer's devices and the sender's other devices (not the sending socket, which has
   * the ack), chat:sent to all the sender's devices.
   */
  private deliver(access: ChatAccess, message: MessageView, originSocketId?: string): void {
    this.realtime.toUsers([access.peerId, access.userId], 'chat:receive', message, { exceptSocketId: originSocketId });
    this.realtime.toUser(access.userId, 'chat:sent', message);
  }

  /** A retried send: the original, delivered again (clients dedupe by id), unless it belongs to another chat. */
  private async retried(original: MessageRecord, access: ChatAccess, originSocketId?: string): Promise<MessageView> {
    if (original.chatId.toHexString() !== access.chatId) {
      throw new AppError(HttpStatus.CONFLICT, 'client_message_id_reused', 'This clientMessageId was already used for another chat');
    }
    await this.media.attach(original);
    const message = await this.renderer.renderOne(original);
    this.deliver(access, message, originSocketId);
    return message;
  }

  private canReplyTo(target: MessageRecord | null, chatId: string, userId: string): target is MessageRecord {
    return !!target && target.chatId.toHexString() === chatId && !target.deletedForEveryone && target.hiddenFor?.[userId] !== true;
  }
}
