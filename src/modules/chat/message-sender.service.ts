import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppError, DomainEventBus, type PostMessageInput, messageIdFor, isDuplicateKey } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { type ChatAccess, ChatAccessService } from './chat-access.service.js';
import { normaliseText } from './chat-rules.js';
import { ChatMedia } from './chat-media.js';
import { ChatSummaryWriter } from './chat-summary-writer.js';
import { MessageBatchWriter } from './message-batch-writer.js';
import { MessageRenderer } from './message-renderer.js';
import type { MessageView } from './message-view.js';
import { MessageRepository } from './message.repository.js';
import { type Draft, postedDraft } from './posted-draft.js';
import { SendSlots } from './send-slots.js';
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

/** Seq collisions tolerated per send before it fails (each re-seeds the counter from the database). */
const MAX_SEQ_ATTEMPTS = 3;

const seqConflict = (): AppError =>
  new AppError(HttpStatus.SERVICE_UNAVAILABLE, 'seq_conflict', 'The chat is recovering its message order; retry the send');

export const invalidText = (): AppError =>
  new AppError(HttpStatus.BAD_REQUEST, 'invalid_text', 'text must be 1-4096 characters after trimming');

/**
 * Storing new messages on the delivery contract (docs/chat.md), for users' sends and ChatPoster alike:
 * idempotent on (sender, clientMessageId), seq from the chat's counter in Redis (SendSlots), acked and delivered
 * only once stored, `message.created` once per stored message.
 */
@Injectable()
export class MessageSender {
  private readonly logger = new Logger(MessageSender.name);

  constructor(
    private readonly access: ChatAccessService,
    private readonly slots: SendSlots,
    private readonly summaries: ChatSummaryWriter,
    private readonly messages: MessageRepository,
    private readonly renderer: MessageRenderer,
    private readonly media: ChatMedia,
    private readonly realtime: RealtimeEmitter,
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
   * The hot path (docs/performance.md, docs/chat.md): stage 1 runs in parallel the access check and the
   * lookups of the replied-to message and the media; stage 2 is ONE Redis round trip (SendSlots: the
   * idempotency check, the seq and the in-flight mark); stage 3 is the insert. Delivery and the ack
   * happen only after the insert succeeded; the chat summary follows within SUMMARY_FLUSH_MS.
   */
  private async store(userId: string, resolveAccess: () => Promise<ChatAccess>, draft: Draft): Promise<Sent> {
    const messageId = messageIdFor(userId, draft.clientMessageId);
    // The lookups start before access is known, but nothing they find is used unless access holds.
    const [access, replied, media] = await Promise.all([
      resolveAccess(),
      draft.replyTo ? this.messages.findById(draft.replyTo) : Promise.resolve(null),
      draft.mediaIds?.length ? settle(this.media.forSend(userId, draft.mediaIds)) : Promise.resolve(null),
    ]);
    const { chatId, participants } = access;
    // Refusals count only for a first send: a retry answers with the original even if its media failed
    // or its replied-to message was deleted since.
    if (media && 'error' in media) return this.originalOr(messageId, access, draft, media.error);
    if (draft.replyTo && !this.canReplyTo(replied, chatId, userId)) {
      return this.originalOr(
        messageId,
        access,
        draft,
        new AppError(HttpStatus.BAD_REQUEST, 'invalid_reply', 'replyTo must be a message of this chat that is not deleted'),
      );
    }

    // The mark is taken with the seq and dropped once stored or failed: forward readers (sync, history
    // after a seq) must not move a cursor past a seq that may still be stored (inflight-sends.ts).
    const token = this.slots.token();
    const now = new Date();
    let record: MessageRecord;
    try {
      let slot = await this.slots.reserve(chatId, participants, messageId, token);
      if (slot.kind === 'settled') {
        const original = await this.messages.findById(messageId);
        if (original) return { message: await this.retried(original, access, draft.originSocketId), created: false };
        // Its earlier copy failed before storing: a seq of its own (the earlier one stays a gap).
        slot = await this.slots.reserve(chatId, participants, messageId, token, true);
      }
      for (let attempt = 1; ; attempt++) {
        record = this.recordOf(messageId, chatId, userId, slot.seq, draft, media?.value ?? null, replied, now);
        try {
          await this.writer.insert(record);
          break;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          // A copy of this send won the insert (a retry racing it, or one after its dedupe entry
          // expired): answer with it. The seq taken here, if it was not the copy's, stays unused.
          const original = await this.messages.findById(messageId);
          if (original) return { message: await this.retried(original, access, draft.originSocketId), created: false };
          // The seq belongs to another message: the counter was re-seeded (Redis lost it) below a seq
          // that was still being stored. Raise it past every stored seq and take a new one.
          this.logger.warn({ chatId, seq: slot.seq, attempt }, 'seq already stored: counter re-seeded');
          if (attempt >= MAX_SEQ_ATTEMPTS) throw seqConflict();
          await this.slots.seed(chatId, participants);
          slot = await this.slots.reserve(chatId, participants, messageId, token, true);
        }
      }
    } finally {
      this.slots.release(chatId, token);
    }
    this.summaries.record(chatId, participants, { seq: record.seq, messageId, at: now });
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

  private recordOf(
    messageId: string,
    chatId: string,
    userId: string,
    seq: number,
    draft: Draft,
    media: { type: MessageRecord['type']; attachments: MessageRecord['attachments'] } | null,
    replied: MessageRecord | null,
    now: Date,
  ): MessageRecord {
    return {
      _id: new Types.ObjectId(messageId),
      chatId: new Types.ObjectId(chatId),
      seq,
      senderId: new Types.ObjectId(userId),
      clientMessageId: draft.clientMessageId,
      type: media?.type ?? draft.type,
      text: draft.text,
      attachments: media?.attachments ?? [],
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
  }

  /** A send refused for what it carries: the original if this is a retry of a stored one, else the refusal. */
  private async originalOr(messageId: string, access: ChatAccess, draft: Draft, refusal: unknown): Promise<Sent> {
    const original = await this.messages.findById(messageId);
    if (!original) throw refusal;
    return { message: await this.retried(original, access, draft.originSocketId), created: false };
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
