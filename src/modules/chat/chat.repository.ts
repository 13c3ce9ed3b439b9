import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { isDuplicateKey, oid } from '@app/common';
import type { ChatCursor } from './chat-rules.js';
import { Chat, type ChatRecord } from './schemas/chat.schema.js';

export type MarkerKind = 'delivered' | 'seen';

/** A chat's newest stored message, as its summary records it. */
export interface ChatSummary {
  seq: number;
  messageId: string;
  at: Date;
}

/** One participant's markers to store (0: leave that one alone). */
export interface MarkerWrite {
  chatId: string;
  userId: string;
  delivered: number;
  seen: number;
}

/** The only code touching the chats collection. Ids arrive validated (24 hex). */
@Injectable()
export class ChatRepository {
  constructor(@InjectModel(Chat.name) private readonly chats: Model<Chat>) {}

  /** By `_id` only: used to learn a chat's participants, which never change. */
  findById(chatId: string): Promise<ChatRecord | null> {
    return this.chats.findById(chatId).lean<ChatRecord>().exec();
  }

  /** Get or create the chat of two users (deterministic id): `created` tells which. One round trip. */
  async upsert(chatId: string, participants: [string, string], now = new Date()): Promise<{ chat: ChatRecord; created: boolean }> {
    try {
      const result = await this.chats.collection.findOneAndUpdate(
        { _id: oid(chatId) },
        { $setOnInsert: this.newChatFields(participants, now) },
        { upsert: true, returnDocument: 'after', includeResultMetadata: true },
      );
      return { chat: result.value as unknown as ChatRecord, created: result.lastErrorObject?.updatedExisting === false };
    } catch (err) {
      // Two first-time upserts of one _id at once: one wins, the other finds it.
      if (!isDuplicateKey(err)) throw err;
      const chat = await this.findById(chatId);
      if (!chat) throw err;
      return { chat, created: false };
    }
  }

  /**
   * Records the chat's newest message (ChatSummaryWriter, coalesced): moves `lastSeq` and with it
   * `lastMessageId`/`lastActivityAt` only forward (the `lastSeq < seq` filter), so writes from several
   * processes in any order end at the newest. Never creates the chat: SendSlots creates it when it
   * seeds the counter before a chat's first seq, and a chat deleted since (account deletion) must stay
   * deleted, whatever another process still holds pending for it.
   */
  async writeSummary(chatId: string, s: ChatSummary): Promise<void> {
    const summary = { lastSeq: s.seq, lastMessageId: oid(s.messageId), lastActivityAt: s.at, updatedAt: new Date() };
    await this.chats.collection.updateOne({ _id: oid(chatId), lastSeq: { $lt: s.seq } }, { $set: summary });
  }

  /** The chat's next change seq (atomic `$inc`); the chat exists, since it has the message being changed. */
  async allocateChangeSeq(chatId: string): Promise<number> {
    const doc = await this.chats.collection.findOneAndUpdate(
      { _id: oid(chatId) },
      { $inc: { changeSeq: 1 }, $set: { updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
    if (!doc) throw new Error(`change seq allocation found no chat ${chatId}`);
    return (doc as unknown as ChatRecord).changeSeq ?? 0;
  }

  /**
   * Moves participants' markers forward, many chats in one `bulkWrite` (`$max`: never backwards,
   * whatever the order or repetition of writes; seen implies delivered). 0 leaves a marker alone.
   */
  async advanceMarkers(writes: readonly MarkerWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const now = new Date();
    const ops = writes.map((w) => {
      const $max: Record<string, number> = { [`delivered.${w.userId}`]: Math.max(w.delivered, w.seen) };
      if (w.seen > 0) $max[`seen.${w.userId}`] = w.seen;
      return { updateOne: { filter: { _id: oid(w.chatId), participants: oid(w.userId) }, update: { $max, $set: { updatedAt: now } } } };
    });
    await this.chats.collection.bulkWrite(ops, { ordered: false });
  }

  /**
   * A page of the user's chats, newest activity first: those with current connections and those kept
   * after a block or a removed connection (readable history). Served by `{ participants, lastActivityAt }`
   * on MongoDB; FerretDB filters the chats collection (one document per pair, far smaller than messages).
   */
  listOfUser(userId: string, cursor: ChatCursor | null, limit: number): Promise<ChatRecord[]> {
    const filter: Record<string, unknown> = { participants: oid(userId) };
    if (cursor) {
      const at = new Date(cursor.at);
      filter.$or = [{ lastActivityAt: { $lt: at } }, { lastActivityAt: at, _id: { $lt: oid(cursor.id) } }];
    }
    return this.chats.find(filter).sort({ lastActivityAt: -1, _id: -1 }).limit(limit).lean<ChatRecord[]>().exec();
  }

  /**
   * Every chat of the user: what chat:sync visits (the caller compares the newest seq, from the Redis
   * counter or this `lastSeq`, with its cursors; `lastSeq` may lag, so it cannot filter here).
   */
  allOfUser(userId: string): Promise<ChatRecord[]> {
    return this.chats
      .find({ participants: oid(userId) })
      .lean<ChatRecord[]>()
      .exec();
  }

  async idsOfUser(userId: string): Promise<string[]> {
    const docs = await this.chats
      .find({ participants: oid(userId) }, { _id: 1 })
      .lean<Array<{ _id: Types.ObjectId }>>()
      .exec();
    return docs.map((d) => d._id.toHexString());
  }

  async deleteByIds(chatIds: string[]): Promise<void> {
    if (chatIds.length > 0) await this.chats.deleteMany({ _id: { $in: chatIds.map(oid) } }).exec();
  }

  private newChatFields(participants: [string, string], now: Date, withActivity = true): Record<string, unknown> {
    const fields: Record<string, unknown> = {
      participants: [...participants].sort().map(oid),
      changeSeq: 0,
      delivered: {},
      seen: {},
      cleared: {},
      mutedUntil: {},
      createdAt: now,
    };
    if (withActivity) Object.assign(fields, { lastSeq: 0, lastMessageId: null, lastActivityAt: now, updatedAt: now });
    return fields;
  }
}
