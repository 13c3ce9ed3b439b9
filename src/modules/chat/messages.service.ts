import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppError, isDuplicateKey } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { AppConfig } from '../../config/index.js';
import { type ChatAccess, ChatAccessService } from './chat-access.service.js';
import { messageIdFor } from './chat-ids.js';
import { DEFAULT_PAGE, firstGap, normaliseText, withinWindow } from './chat-rules.js';
import { ChatRepository } from './chat.repository.js';
import { InflightSends } from './inflight-sends.js';
import { toMessageView, type MessageView } from './message-view.js';
import { MessageRepository } from './message.repository.js';
import type { MessageRecord } from './schemas/message.schema.js';

export interface SendInput {
  clientMessageId: string;
  text: string;
  replyTo?: string;
  /** The socket the send came over: it gets the ack, so `chat:receive` skips it (REST: none). */
  originSocketId?: string;
}

export interface SyncResult {
  chats: Array<{ chatId: string; messages: MessageView[]; hasMore: boolean }>;
}

export interface MessagePage {
  items: MessageView[];
  hasMore: boolean;
}

const SYNC_CONCURRENCY = 8;

interface MessagePageRecords {
  items: MessageRecord[];
  hasMore: boolean;
}

const messageNotFound = (): AppError => new AppError(HttpStatus.NOT_FOUND, 'message_not_found', 'Message not found');
const messageDeleted = (): AppError => new AppError(HttpStatus.CONFLICT, 'message_deleted', 'The message was deleted for everyone');

/**
 * Sending and reading messages on the delivery contract (docs/chat.md): idempotent on
 * (sender, clientMessageId), seq from the chat's atomic counter, acked only once stored.
 */
@Injectable()
export class MessagesService {
  private readonly logger = new Logger(MessagesService.name);

  constructor(
    private readonly access: ChatAccessService,
    private readonly chats: ChatRepository,
    private readonly messages: MessageRepository,
    private readonly realtime: RealtimeEmitter,
    private readonly config: AppConfig,
    private readonly inflight: InflightSends,
  ) {}

  /**
   * The hot path (docs/performance.md): stage 1 runs in parallel the access check (participants from
   * the per-process cache, ContactDirectory.canInteract), the lookup of an original by its derived
   * `_id` (a retry) and of the replied-to message; stage 2 takes the seq from the chat's atomic `$inc`;
   * stage 3 inserts. Delivery and the ack happen only after the insert succeeded.
   */
  async send(
    userId: string,
    target: { chatId?: string; peerId?: string },
    input: SendInput,
  ): Promise<{ message: MessageView; created: boolean }> {
    const text = normaliseText(input.text);
    if (text === null) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_text', 'text must be 1-4096 characters after trimming');
    const messageId = messageIdFor(userId, input.clientMessageId);
    // The lookups start before access is known, but nothing they find is used unless access holds.
    const [access, existing, replied] = await Promise.all([
      this.access.resolve(userId, target),
      this.messages.findById(messageId),
      input.replyTo ? this.messages.findById(input.replyTo) : Promise.resolve(null),
    ]);
    const { chatId } = access;
    if (existing) return { message: await this.retried(existing, access, input.originSocketId), created: false };
    if (input.replyTo && !this.canReplyTo(replied, chatId, userId)) {
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
        clientMessageId: input.clientMessageId,
        type: 'text',
        text,
        attachments: [],
        replyTo: replied ? replied._id : null,
        reactions: {},
        editedAt: null,
        deletedForEveryone: false,
        hiddenFor: {},
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.messages.insert(record);
      } catch (err) {
        // A concurrent duplicate of this send won the insert: answer with it. The seq allocated
        // here stays unused (a gap; see docs/chat.md).
        if (!isDuplicateKey(err)) throw err;
        const original = await this.messages.findById(messageId);
        if (!original) throw err;
        this.logger.debug({ chatId, seq }, 'concurrent duplicate send: seq left unused');
        return { message: await this.retried(original, access, input.originSocketId), created: false };
      }
    } finally {
      this.inflight.end(chatId, mark);
    }
    const message = toMessageView(record, replied ? new Map([[replied._id.toHexString(), replied]]) : undefined);
    this.deliver(access, message, input.originSocketId);
    return { message, created: true };
  }

  /** Messages by seq: the newest page below `before` (default), or the oldest above `after`. */
  async history(userId: string, chatId: string, q: { before?: number; after?: number; limit?: number }): Promise<MessagePage> {
    const { chat } = await this.access.requireChat(userId, chatId);
    const cleared = chat.cleared?.[userId] ?? 0;
    const afterSeq = Math.max(q.after ?? 0, cleared);
    const forward = q.after !== undefined && q.before === undefined;
    // Paging forward moves the client's cursor: read the in-flight marks before the messages.
    const busy = forward ? await this.inflight.busy([chatId]) : new Set<string>();
    const page = await this.messages.page(chatId, userId, {
      afterSeq,
      beforeSeq: q.before ?? null,
      limit: q.limit ?? DEFAULT_PAGE,
      from: forward ? 'oldest' : 'newest',
    });
    const { items, hasMore } = busy.has(chatId) ? await this.stopAtGap(chatId, afterSeq, page) : page;
    return { items: await this.render(items), hasMore };
  }

  /**
   * chat:sync: every chat of the user with messages after the client's cursor (missing = 0), oldest
   * first, up to `limit` per chat; `hasMore` asks the client to sync again from its new cursor.
   */
  async sync(userId: string, cursors: Record<string, number>, limit: number): Promise<SyncResult> {
    const mine = await this.access.chatIdsOf(userId);
    const chats = await this.chats.findWithMessages([...mine.keys()]);
    const pending = chats
      .map((chat) => ({ chat, from: Math.max(cursors[chat._id.toHexString()] ?? 0, chat.cleared?.[userId] ?? 0) }))
      .filter(({ chat, from }) => chat.lastSeq > from)
      .sort((a, b) => b.chat.lastActivityAt.getTime() - a.chat.lastActivityAt.getTime());
    // The in-flight marks are read before any message: see inflight-sends.ts.
    const busy = await this.inflight.busy(pending.map(({ chat }) => chat._id.toHexString()));
    // A few chats at a time: a device back after days may have hundreds of chats to catch up.
    const pages: Array<{ chatId: string; items: MessageRecord[]; hasMore: boolean }> = [];
    for (let i = 0; i < pending.length; i += SYNC_CONCURRENCY) {
      const batch = pending.slice(i, i + SYNC_CONCURRENCY).map(async ({ chat, from }) => {
        const chatId = chat._id.toHexString();
        const page = await this.messages.page(chatId, userId, { afterSeq: from, beforeSeq: null, limit, from: 'oldest' });
        return { chatId, ...(busy.has(chatId) ? await this.stopAtGap(chatId, from, page) : page) };
      });
      pages.push(...(await Promise.all(batch)));
    }
    const rendered = await this.render(pages.flatMap((p) => p.items));
    const byId = new Map(rendered.map((m) => [m.id, m]));
    return {
      chats: pages
        .filter((p) => p.items.length > 0 || p.hasMore)
        .map((p) => ({ chatId: p.chatId, messages: p.items.map((m) => byId.get(m._id.toHexString()) as MessageView), hasMore: p.hasMore })),
    };
  }

  /** The sender edits the text within the edit window; the other side gets `message:updated`. */
  async edit(userId: string, chatId: string, messageId: string, text: string): Promise<MessageView> {
    const access = await this.access.require(userId, chatId);
    const message = await this.visibleMessage(access, messageId);
    this.requireSender(message, userId);
    if (message.deletedForEveryone) throw messageDeleted();
    if (!withinWindow(message.createdAt, this.config.chat.editWindowMs)) {
      throw new AppError(HttpStatus.FORBIDDEN, 'edit_window_passed', 'Messages can only be edited shortly after sending');
    }
    const clean = normaliseText(text);
    if (clean === null) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_text', 'text must be 1-4096 characters after trimming');
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
      if (hidden) this.realtime.toUser(userId, 'message:updated', { chatId, kind: 'hidden', message: (await this.render([hidden]))[0] });
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

  /**
   * While a chat has sends in flight, a forward page ends below the first missing seq (it may still be
   * stored) with `hasMore`, so the client's cursor never passes it; a gap whose send failed is passed
   * once its mark ages out.
   */
  private async stopAtGap(chatId: string, afterSeq: number, page: MessagePageRecords): Promise<MessagePageRecords> {
    const last = page.items.at(-1);
    if (!last) return page;
    const gap = firstGap(afterSeq, await this.messages.storedSeqs(chatId, afterSeq, last.seq));
    return gap === null ? page : { items: page.items.filter((m) => m.seq < gap), hasMore: true };
  }

  /** Views with reply previews (one `_id $in` lookup for the messages answered). */
  async render(records: MessageRecord[]): Promise<MessageView[]> {
    const replyIds = [...new Set(records.flatMap((m) => (m.replyTo ? [m.replyTo.toHexString()] : [])))];
    const replies = new Map((await this.messages.findByIds(replyIds)).map((m) => [m._id.toHexString(), m]));
    return records.map((m) => toMessageView(m, replies));
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
    const [message] = await this.render([original]);
    this.deliver(access, message, originSocketId);
    return message;
  }

  private canReplyTo(target: MessageRecord | null, chatId: string, userId: string): target is MessageRecord {
    return !!target && target.chatId.toHexString() === chatId && !target.deletedForEveryone && target.hiddenFor?.[userId] !== true;
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
    const [message] = await this.render([record]);
    this.realtime.toUsers([access.peerId, access.userId], 'message:updated', { chatId: access.chatId, kind, message });
    return message;
  }
}
