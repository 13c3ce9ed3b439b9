import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { StatusView, type StatusViewRecord, viewId } from './schemas/status-view.schema.js';

/** MongoDB and FerretDB both report a unique-index violation as error code 11000. */
const isDuplicateKey = (err: unknown): boolean => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;

/** The only code touching `status_views`. */
@Injectable()
export class StatusViewsRepository {
  constructor(@InjectModel(StatusView.name) private readonly views: Model<StatusView>) {}

  /** Records a view once: the first insert wins (unique `_id`), later ones get the stored view back. */
  async record(view: Omit<StatusViewRecord, '_id'>): Promise<{ view: StatusViewRecord; first: boolean }> {
    const doc: StatusViewRecord = { _id: viewId(view.statusId, view.viewerId), ...view };
    try {
      await this.views.collection.insertOne(doc as never);
      return { view: doc, first: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const stored = await this.views.findOne({ _id: doc._id }).lean<StatusViewRecord>();
    if (!stored) throw new Error(`status view ${doc._id} vanished after a duplicate-key error`);
    return { view: stored, first: false };
  }

  /** Which of these statuses the viewer has viewed (`_id` lookups). */
  async viewedBy(viewerId: string, statusIds: readonly string[]): Promise<Set<string>> {
    if (statusIds.length === 0) return new Set();
    const rows = await this.views
      .find({ _id: { $in: statusIds.map((s) => viewId(s, viewerId)) } }, { statusId: 1, _id: 0 })
      .lean<{ statusId: string }[]>();
    return new Set(rows.map((r) => r.statusId));
  }

  /** Views of the author's statuses, in viewing order (ownership in the filter). */
  async ofStatuses(authorId: string, statusIds: readonly string[]): Promise<StatusViewRecord[]> {
    if (statusIds.length === 0) return [];
    return this.views
      .find({ authorId, statusId: { $in: [...statusIds] } })
      .sort({ viewedAt: 1, _id: 1 })
      .lean<StatusViewRecord[]>();
  }

  async deleteOfStatus(statusId: string): Promise<void> {
    await this.views.deleteMany({ statusId });
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.views.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }

  async deleteUser(userId: string): Promise<void> {
    await Promise.all([this.views.deleteMany({ viewerId: userId }), this.views.deleteMany({ authorId: userId })]);
  }
}
