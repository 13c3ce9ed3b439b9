import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type MongoBulkWriteError, MongoServerError } from 'mongodb';
import type { Model, Types } from 'mongoose';
import { oid } from '@app/common';
import { Message, type MessageRecord } from './schemas/message.schema.js';

export interface PageQuery {
  /** Exclusive lower bound (`after`, or the viewer's cleared marker). */
  afterSeq: number;
  /** Exclusive upper bound (`before`); null = no bound but `lastSeq`. */
  beforeSeq: number | null;
  /** The chat's `lastSeq` as read: where the newest window starts (messages above it are still read). */
  lastSeq: number;
  limit: number;
  /** `newest`: the newest `limit` below `beforeSeq`; `oldest`: the oldest `limit` above `afterSeq`. */
  from: 'newest' | 'oldest';
}

/** The change seq a change takes (ChatRepository.allocateChangeSeq) and when it happened. */
export interface ChangeStamp {
  seq: number;
  at: Date;
}

export interface ChangeQuery {
  afterChangeSeq: number;
  /** Only messages the viewer holds: seq in (aboveSeq, upToSeq]. */
  aboveSeq: number;
  upToSeq: number;
  limit: number;
}

/** One chat whose unread messages to count: the peer's messages above `aboveSeq` (up to `upToSeq`). */
export interface UnreadQuery {
  chatId: string;
  peerId: string;
  aboveSeq: number;
  /** Inclusive; absent = no bound. */
  upToSeq?: number;
}

/**
 * The only code touching the messages collection. Reads that show messages to someone take the
 * viewer's id (their "deleted for me" messages are filtered out here). Hot-path writes use the native
 * driver through the model's collection: one round trip, no document hydration.
 */
@Injectable()
export class MessageRepository {
  constructor(@InjectModel(Message.name) private readonly messages: Model<Message>) {}

  findById(messageId: string): Promise<MessageRecord | null> {
    return this.messages.findById(messageId).lean<MessageRecord>().exec();
  }

  findByIds(messageIds: string[]): Promise<MessageRecord[]> {
    if (messageIds.length === 0) return Promise.resolve([]);
    return this.messages
      .find({ _id: { $in: messageIds.map(oid) } })
      .lean<MessageRecord[]>()
      .exec();
  }

  /**
   * The chat's message with the highest seq (deleted ones included: a tombstone keeps its seq), for
   * re-seeding the chat's seq counter (SendSlots.seed); not on the send path otherwise.
   */
  async newestOf(chatId: string): Promise<Pick<MessageRecord, '_id' | 'seq' | 'createdAt'> | null> {
    const [doc] = await this.messages
      .find({ chatId: oid(chatId) }, { _id: 1, seq: 1, createdAt: 1 })
      .sort({ seq: -1 })
      .limit(1)
      .lean<Array<Pick<MessageRecord, '_id' | 'seq' | 'createdAt'>>>()
      .exec();
    return doc ?? null;
  }

  /** Throws the driver's E11000 when (senderId, clientMessageId) is already stored. */
  async insert(message: MessageRecord): Promise<void> {
    await this.messages.collection.insertOne(message);
  }

  /**
   * Group commit (MessageBatchWriter): the messages in one unordered `insertMany`. Answers one outcome
   * per message, in order: null when stored, else the error `insert` would have thrown for that message
   * alone (E11000 for a duplicate). Throws when the batch as a whole failed (database unreachable, a
   * timeout), with the driver error `insert` throws then, so callers see the same error types.
   */
  async insertMany(messages: MessageRecord[]): Promise<Array<Error | null>> {
    try {
      await this.messages.collection.insertMany(messages, { ordered: false });
      return messages.map(() => null);
    } catch (err) {
      return outcomesOfFailedInsertMany(err, messages.length);
    }
  }

  /**
   * A page of one chat in seq order (ascending), without the viewer's "deleted for me" messages;
   * `hasMore` beyond it. Seqs are dense (one per stored message, gaps only where a send failed), so the
   * page is read as seq windows of about `limit + 1` seqs at the page's edge, each window twice the
   * last while hidden messages or gaps leave the page short: a 50-message page of a 20,000-message chat
   * reads about 51 documents. On MongoDB each window is a range of the `{ chatId, seq }` index; FerretDB
   * pushes the chat equality and the seq range down to PostgreSQL (tools/ferretdb patch), whereas a sort
   * + limit over the whole chat made it fetch and sort every message of the chat in Go. `lastSeq` only
   * says where the newest window starts: the window at the top is open above, so a message stored
   * after the chat was read is not missed.
   */
  async page(chatId: string, viewerId: string, q: PageQuery): Promise<{ items: MessageRecord[]; hasMore: boolean }> {
    const want = q.limit + 1;
    const newest = q.from === 'newest';
    const docs: MessageRecord[] = [];
    // The seqs still to read: (low, high), high null = open above.
    let low = q.afterSeq;
    let high = q.beforeSeq;
    for (let span = want; docs.length < want && (high === null || high - low > 1); span *= 2) {
      const edge = newest ? Math.max(low, (high ?? q.lastSeq + 1) - 1 - span) : low + 1 + span;
      const window = newest ? { low: edge, high } : { low, high: high !== null ? Math.min(high, edge) : edge > q.lastSeq ? null : edge };
      const seq: Record<string, number> = { $gt: window.low };
      if (window.high !== null) seq.$lt = window.high;
      const batch = await this.messages
        .find({ chatId: oid(chatId), seq, [`hiddenFor.${viewerId}`]: { $exists: false } })
        .sort({ seq: newest ? -1 : 1 })
        .limit(want - docs.length)
        .lean<MessageRecord[]>()
        .exec();
      docs.push(...batch);
      if (newest) {
        if (window.low <= low) break;
        high = window.low + 1;
      } else {
        if (window.high === null || window.high === high) break;
        low = window.high - 1;
      }
    }
    const hasMore = docs.length > q.limit;
    const items = docs.slice(0, q.limit);
    if (newest) items.reverse();
    return { items, hasMore };
  }

  /** Every stored seq in (afterSeq, upToSeq], hidden or not, ascending (gap checks while sends are in flight). */
  async storedSeqs(chatId: string, afterSeq: number, upToSeq: number): Promise<number[]> {
    const docs = await this.messages
      .find({ chatId: oid(chatId), seq: { $gt: afterSeq, $lte: upToSeq } }, { seq: 1 })
      .sort({ seq: 1 })
      .lean<Array<{ seq: number }>>()
      .exec();
    return docs.map((d) => d.seq);
  }

  /**
   * Exact unread counts (chat-rules.ts `isUnread`) of several chats in one aggregate: the peer's
   * messages above the reader's seen/cleared marker, not deleted for everyone, not deleted for the reader.
   * Each `$or` branch is a range of the `{ chatId, seq }` index on MongoDB; FerretDB pushes the `$or`
   * of chat/sender equalities and seq ranges down to PostgreSQL (tools/ferretdb patch; stock FerretDB
   * pushed no `$or` down and decoded the whole collection), then counts the matching documents in Go.
   */
  async unreadCounts(readerId: string, queries: UnreadQuery[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (queries.length === 0) return counts;
    const rows = await this.messages
      .aggregate<{ _id: Types.ObjectId; n: number }>([
        {
          $match: {
            $or: queries.map((q) => ({ chatId: oid(q.chatId), senderId: oid(q.peerId), seq: unreadRange(q) })),
            deletedForEveryone: false,
            [`hiddenFor.${readerId}`]: { $exists: false },
          },
        },
        { $group: { _id: '$chatId', n: { $sum: 1 } } },
      ])
      .exec();
    for (const row of rows) counts.set(row._id.toHexString(), row.n);
    return counts;
  }

  /** Edit: only the sender's live message of that chat. null when the guard no longer holds. */
  setText(messageId: string, chatId: string, senderId: string, text: string, change: ChangeStamp): Promise<MessageRecord | null> {
    return this.update(
      { _id: oid(messageId), chatId: oid(chatId), senderId: oid(senderId), deletedForEveryone: false },
      { $set: { text, editedAt: change.at, updatedAt: change.at, changeKind: 'edited' }, $max: { changeSeq: change.seq } },
    );
  }

  /** Delete for everyone: a tombstone keeps the seq; content and reactions are wiped. */
  tombstone(messageId: string, chatId: string, senderId: string, change: ChangeStamp): Promise<MessageRecord | null> {
    return this.update(
      { _id: oid(messageId), chatId: oid(chatId), senderId: oid(senderId) },
      {
        $set: { deletedForEveryone: true, text: null, attachments: [], reactions: {}, updatedAt: change.at, changeKind: 'deleted' },
        $max: { changeSeq: change.seq },
      },
    );
  }

  /** Delete for me (a change only the hider's devices replay, so `changeKind` is left as it was). */
  hideFor(messageId: string, chatId: string, userId: string, change: ChangeStamp): Promise<MessageRecord | null> {
    return this.update(
      { _id: oid(messageId), chatId: oid(chatId) },
      { $set: { [`hiddenFor.${userId}`]: true, updatedAt: change.at }, $max: { changeSeq: change.seq } },
    );
  }

  /** One reaction per user per message: set replaces, null removes. */
  setReaction(messageId: string, chatId: string, userId: string, emoji: string | null, change: ChangeStamp): Promise<MessageRecord | null> {
    const $set: Record<string, unknown> = { updatedAt: change.at, changeKind: 'reaction' };
    if (emoji !== null) $set[`reactions.${userId}`] = emoji;
    return this.update(
      { _id: oid(messageId), chatId: oid(chatId), deletedForEveryone: false },
      { $set, ...(emoji === null ? { $unset: { [`reactions.${userId}`]: '' } } : {}), $max: { changeSeq: change.seq } },
    );
  }

  /**
   * Messages of one chat changed after `afterChangeSeq`, in change order, that the viewer holds (seq in
   * (aboveSeq, upToSeq]) and should replay: changed for both, or hidden by the viewer ("delete for me"
   * by the peer alone changes nothing the viewer sees). `hasMore` beyond `limit`.
   */
  async changesSince(chatId: string, viewerId: string, q: ChangeQuery): Promise<{ items: MessageRecord[]; hasMore: boolean }> {
    const docs = await this.messages
      .find({
        chatId: oid(chatId),
        changeSeq: { $gt: q.afterChangeSeq },
        seq: { $gt: q.aboveSeq, $lte: q.upToSeq },
        $or: [{ changeKind: { $exists: true } }, { [`hiddenFor.${viewerId}`]: { $exists: true } }],
      })
      .sort({ changeSeq: 1 })
      .limit(q.limit + 1)
      .lean<MessageRecord[]>()
      .exec();
    return { items: docs.slice(0, q.limit), hasMore: docs.length > q.limit };
  }

  /** Live messages carrying a media item (media.processed). */
  withMedia(mediaId: string): Promise<MessageRecord[]> {
    return this.messages.find({ 'attachments.mediaId': mediaId, deletedForEveryone: false }).lean<MessageRecord[]>().exec();
  }

  /** A message's media reached its final state: a change both sides replay (the media itself is not on the message). */
  markMediaChanged(messageId: string, change: ChangeStamp): Promise<MessageRecord | null> {
    return this.update(
      { _id: oid(messageId), deletedForEveryone: false },
      { $set: { changeKind: 'media', updatedAt: change.at }, $max: { changeSeq: change.seq } },
    );
  }

  /** Messages with attachments in these chats (account deletion detaches their media). */
  withAttachmentsIn(chatIds: string[]): Promise<Array<Pick<MessageRecord, '_id' | 'chatId' | 'attachments'>>> {
    if (chatIds.length === 0) return Promise.resolve([]);
    return this.messages
      .find({ chatId: { $in: chatIds.map(oid) }, 'attachments.mediaId': { $exists: true } }, { _id: 1, chatId: 1, attachments: 1 })
      .lean<Array<Pick<MessageRecord, '_id' | 'chatId' | 'attachments'>>>()
      .exec();
  }

  async deleteByChats(chatIds: string[]): Promise<void> {
    if (chatIds.length > 0) await this.messages.deleteMany({ chatId: { $in: chatIds.map(oid) } }).exec();
  }

  private async update(filter: Record<string, unknown>, change: Record<string, unknown>): Promise<MessageRecord | null> {
    const doc = await this.messages.collection.findOneAndUpdate(filter, change, { returnDocument: 'after' });
    return doc as unknown as MessageRecord | null;
  }
}

/**
 * The driver reports an unordered insertMany that failed as one MongoBulkWriteError (by name: Mongoose
 * may bundle its own copy of the driver). Per-document failures are its `writeErrors`, each with the index
 * of its document; the others were stored (MongoDB 7 and FerretDB 1.24 alike, docs/compatibility.md).
 * A failure of the whole command (server selection, network, timeout) is wrapped too, with no
 * writeErrors: the original error is in `errorResponse`, and that is what is thrown.
 */
function outcomesOfFailedInsertMany(err: unknown, count: number): Array<Error | null> {
  if (!(err instanceof Error) || err.name !== 'MongoBulkWriteError') throw err;
  const failure = err as MongoBulkWriteError;
  const writeErrors = [failure.writeErrors].flat().filter((e) => e !== undefined);
  if (writeErrors.length === 0) {
    const original: unknown = failure.errorResponse;
    throw original instanceof Error ? original : err;
  }
  // Stored but short of the write concern: as insertOne would, such documents fail with the whole error.
  const others = failure.result?.getWriteConcernError() ? err : null;
  const outcomes: Array<Error | null> = Array.from({ length: count }, () => others);
  for (const writeError of writeErrors) {
    // The error insertOne throws for its one document: code (11000), errmsg, keyPattern/keyValue; not the
    // document itself (`op`), which would carry the message text into logs.
    const { op: _document, ...reply } = writeError.err as { op?: unknown; errmsg?: string };
    outcomes[writeError.index] = new MongoServerError(reply);
  }
  return outcomes;
}

function unreadRange(q: UnreadQuery): Record<string, number> {
  return q.upToSeq === undefined ? { $gt: q.aboveSeq } : { $gt: q.aboveSeq, $lte: q.upToSeq };
}
