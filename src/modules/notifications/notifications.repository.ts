import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import type { NotificationDraft } from './notification-drafts.js';
import { isFeedKind } from './notification-drafts.js';
import { Notification, type NotificationRecord } from './schemas/notification.schema.js';

const oid = (id: string): Types.ObjectId => new Types.ObjectId(id);
const isDuplicateKey = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 11000;

export interface FeedCursor {
  at: number;
  id: string;
}

/** The only code touching the notifications collection; every read and write takes the recipient. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectModel(Notification.name) private readonly notifications: Model<Notification>) {}

  /** Stores the draft unless its dedupeKey is already stored: null then (a replayed event). */
  async insertOnce(draft: NotificationDraft): Promise<NotificationRecord | null> {
    const record: NotificationRecord = {
      _id: new Types.ObjectId(),
      recipientId: oid(draft.recipientId),
      kind: draft.kind,
      feed: isFeedKind(draft.kind),
      actorId: draft.actorId ? oid(draft.actorId) : null,
      subject: draft.subject,
      data: draft.data,
      dedupeKey: draft.dedupeKey,
      createdAt: new Date(draft.at),
      seenAt: null,
      readAt: null,
      fannedOutAt: null,
      pushedAt: null,
    };
    try {
      await this.notifications.collection.insertOne(record);
      return record;
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
  }

  findByDedupeKey(dedupeKey: string): Promise<NotificationRecord | null> {
    return this.notifications.findOne({ dedupeKey }).lean<NotificationRecord>().exec();
  }

  async markFannedOut(id: Types.ObjectId, now: Date): Promise<void> {
    await this.notifications.updateOne({ _id: id }, { $set: { fannedOutAt: now } }).exec();
  }

  findById(id: string): Promise<NotificationRecord | null> {
    return this.notifications.findById(id).lean<NotificationRecord>().exec();
  }

  /** A page of the recipient's feed, newest first; `limit + 1` asked so the caller knows there is more. */
  page(recipientId: string, cursor: FeedCursor | null, limit: number): Promise<NotificationRecord[]> {
    const filter: Record<string, unknown> = { recipientId: oid(recipientId), feed: true };
    if (cursor) {
      const at = new Date(cursor.at);
      filter.$or = [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: oid(cursor.id) } }];
    }
    return this.notifications.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<NotificationRecord[]>().exec();
  }

  /** Exact: counted from the documents every time. */
  unreadCount(recipientId: string): Promise<number> {
    return this.notifications.countDocuments({ recipientId: oid(recipientId), feed: true, readAt: null }).exec();
  }

  /** Marks the recipient's own unread notifications among `ids` (all of them without ids) read; how many changed. */
  async markRead(recipientId: string, ids: string[] | 'all', now: Date): Promise<number> {
    const filter: Record<string, unknown> = { recipientId: oid(recipientId), feed: true, readAt: null };
    if (ids !== 'all') filter._id = { $in: ids.map(oid) };
    await this.notifications.updateMany({ ...filter, seenAt: null }, { $set: { seenAt: now } }).exec();
    const res = await this.notifications.updateMany(filter, { $set: { readAt: now } }).exec();
    return res.modifiedCount;
  }

  /** The recipient's message notifications of one chat that no push has covered yet, oldest first. */
  unpushedMessages(recipientId: string, chatId: string): Promise<NotificationRecord[]> {
    return this.notifications
      .find({ recipientId: oid(recipientId), kind: 'message', 'subject.id': chatId, pushedAt: null })
      .sort({ createdAt: 1, _id: 1 })
      .lean<NotificationRecord[]>()
      .exec();
  }

  async markPushed(ids: Types.ObjectId[], now: Date): Promise<void> {
    if (ids.length > 0) await this.notifications.updateMany({ _id: { $in: ids }, pushedAt: null }, { $set: { pushedAt: now } }).exec();
  }

  async deleteAllOf(userId: string): Promise<void> {
    await this.notifications.deleteMany({ recipientId: oid(userId) }).exec();
  }
}
