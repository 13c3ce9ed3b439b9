import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { LastSeen } from './schemas/last-seen.schema.js';

/** The only code touching the last_seen collection. */
@Injectable()
export class PresenceRepository {
  constructor(@InjectModel(LastSeen.name) private readonly lastSeen: Model<LastSeen>) {}

  /** Records that the user went offline at `at`; never moves lastSeen backwards ($max). */
  async saveLastSeen(userId: string, at: Date): Promise<void> {
    await this.lastSeen.updateOne({ _id: userId }, { $max: { at } }, { upsert: true });
  }

  async lastSeenOf(userIds: readonly string[]): Promise<Map<string, Date>> {
    if (userIds.length === 0) return new Map();
    const docs = await this.lastSeen.find({ _id: { $in: [...userIds] } }).lean();
    return new Map(docs.map((d) => [d._id, d.at]));
  }

  async delete(userId: string): Promise<void> {
    await this.lastSeen.deleteOne({ _id: userId });
  }
}
