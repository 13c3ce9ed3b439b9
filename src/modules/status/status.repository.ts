import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { StatusAudience, audienceId } from './schemas/status-audience.schema.js';
import { Status, type StatusRecord } from './schemas/status.schema.js';

export type NewStatus = Omit<StatusRecord, 'createdAt'>;

/** Statuses and their audience rows: the only code touching `statuses` and `status_audience`. */
@Injectable()
export class StatusRepository {
  constructor(
    @InjectModel(Status.name) private readonly statuses: Model<Status>,
    @InjectModel(StatusAudience.name) private readonly audience: Model<StatusAudience>,
  ) {}

  /** Audience rows first, the status last: a status is never readable before its audience exists. */
  async insert(status: NewStatus, audience: readonly string[], createdAt: Date): Promise<StatusRecord> {
    const statusId = status._id.toHexString();
    const rows = audience.map((viewerId) => ({
      _id: audienceId(viewerId, statusId),
      viewerId,
      statusId,
      authorId: status.authorId,
      expiresAt: status.expiresAt,
    }));
    for (let i = 0; i < rows.length; i += 1000) {
      await this.audience.collection.insertMany(rows.slice(i, i + 1000) as never[], { ordered: false });
    }
    const doc = { ...status, createdAt };
    await this.statuses.collection.insertOne(doc);
    return doc;
  }

  /** Unexpired, any state; callers decide who may see it. */
  async findLive(statusId: string, now: Date): Promise<StatusRecord | null> {
    return this.statuses.findOne({ _id: new Types.ObjectId(statusId), expiresAt: { $gt: now } }).lean<StatusRecord>();
  }

  async findLiveByIds(ids: readonly string[], now: Date): Promise<StatusRecord[]> {
    if (ids.length === 0) return [];
    return this.statuses.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) }, expiresAt: { $gt: now } }).lean<StatusRecord[]>();
  }

  /** The author's unexpired statuses in posting order (every state: the author sees pending ones too). */
  async liveOfAuthor(authorId: string, now: Date): Promise<StatusRecord[]> {
    return this.statuses
      .find({ authorId, expiresAt: { $gt: now } })
      .sort({ createdAt: 1, _id: 1 })
      .lean<StatusRecord[]>();
  }

  async inAudience(viewerId: string, statusId: string): Promise<boolean> {
    return (await this.audience.exists({ _id: audienceId(viewerId, statusId) })) !== null;
  }

  /** Ids of the unexpired statuses the viewer is in the audience of. */
  async visibleStatusIds(viewerId: string, now: Date): Promise<string[]> {
    const rows = await this.audience.find({ viewerId, expiresAt: { $gt: now } }, { statusId: 1, _id: 0 }).lean<{ statusId: string }[]>();
    return rows.map((r) => r.statusId);
  }

  async audienceOf(statusId: string): Promise<string[]> {
    const rows = await this.audience.find({ statusId }, { viewerId: 1, _id: 0 }).lean<{ viewerId: string }[]>();
    return rows.map((r) => r.viewerId);
  }

  /** Pending -> active once; only the caller that wins announces the status. */
  async activate(statusId: string): Promise<StatusRecord | null> {
    return this.statuses
      .findOneAndUpdate({ _id: new Types.ObjectId(statusId), state: 'pending' }, { $set: { state: 'active' } }, { returnDocument: 'after' })
      .lean<StatusRecord>();
  }

  async fail(statusId: string): Promise<StatusRecord | null> {
    return this.statuses
      .findOneAndUpdate({ _id: new Types.ObjectId(statusId), state: 'pending' }, { $set: { state: 'failed' } }, { returnDocument: 'after' })
      .lean<StatusRecord>();
  }

  async pendingWithMedia(mediaId: string): Promise<StatusRecord[]> {
    return this.statuses.find({ mediaId, state: 'pending' }).lean<StatusRecord[]>();
  }

  /** Deletes the author's status and its audience rows; null when there was no such status of theirs. */
  async deleteOwned(authorId: string, statusId: string): Promise<StatusRecord | null> {
    const status = await this.statuses.findOne({ _id: new Types.ObjectId(statusId), authorId }).lean<StatusRecord>();
    if (!status) return null;
    await this.audience.deleteMany({ statusId });
    const { deletedCount } = await this.statuses.deleteOne({ _id: status._id });
    return deletedCount > 0 ? status : null;
  }

  async expired(now: Date, limit: number): Promise<StatusRecord[]> {
    return this.statuses
      .find({ expiresAt: { $lte: now } })
      .limit(limit)
      .lean<StatusRecord[]>();
  }

  /** The statuses last: a run that stops half-way finds them again next time. */
  async deleteExpired(ids: readonly Types.ObjectId[], now: Date): Promise<{ statuses: number; audience: number }> {
    const audience = await this.audience.deleteMany({ expiresAt: { $lte: now } });
    const statuses = ids.length === 0 ? { deletedCount: 0 } : await this.statuses.deleteMany({ _id: { $in: [...ids] } });
    return { statuses: statuses.deletedCount, audience: audience.deletedCount };
  }

  /** user.deleted: their statuses (returned, for their media) and every audience row by or for them. */
  async deleteUser(userId: string): Promise<StatusRecord[]> {
    const own = await this.statuses.find({ authorId: userId }).lean<StatusRecord[]>();
    await Promise.all([this.audience.deleteMany({ authorId: userId }), this.audience.deleteMany({ viewerId: userId })]);
    await this.statuses.deleteMany({ authorId: userId });
    return own;
  }
}
