import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type MongoBulkWriteError, MongoServerError } from 'mongodb';
import type { Model, Types } from 'mongoose';
import { oid } from '@app/common';
import { Message, type MessageRecord } from './schemas/message.schema.js';

export interface PageQuery {
  /** Exclusive lower bound (`after`, or the viewer's cleared marker). */
  afterSeq: number;
  /** Exclusive upper bound (`before`); null = no bound. */
  beforeSeq: number | null;
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

/** One chat whose unread messages to count: the peer's messages above `aboveSeq`. */
export interface UnreadQuery {
  chatId: string;
  peerId: string;
  aboveSeq: number;
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

  /** A page of one chat in seq order (ascending), without the viewer's "deleted for me" messages; `hasMore` beyond it. */
  async page(chatId: string, viewerId: string, q: PageQuery): Promise<{ items: MessageRecord[]; hasMore: boolean }> {
    const seq: Record<string, number> = { $gt: q.afterSeq };
    if (q.beforeSeq !== null) seq.$lt = q.beforeSeq;
    const docs = await this.messages
      .find({ chatId: oid(chatId), seq, [`hiddenFor.${viewerId}`]: { $exists: false } })
      .sort({ seq: q.from === 'newest' ? -1 : 1 })
      .limit(q.limit + 1)
      .lean<MessageRecord[]>()
      .exec();
    const hasMore = docs.length > q.limit;
    const items = docs.slice(0, q.limit);
    if (q.from === 'newest') items.reverse();
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
   */
  async unreadCounts(readerId: string, queries: UnreadQuery[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (queries.length === 0) return counts;
    const rows = await this.messages
      .aggregate<{ _id: Types.ObjectId; n: number }>([
        {
          $match: {
            $or: queries.map((q) => ({ chatId: oid(q.chatId), senderId: oid(q.peerId), seq: { $gt: q.aboveSeq } })),
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
