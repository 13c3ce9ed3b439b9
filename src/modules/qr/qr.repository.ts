import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { nativeCollection } from '@app/common';
import { QrToken } from './schemas/qr-token.schema.js';

export interface QrTokenRow {
  hash: string;
  owner: string;
  expiresAt: Date;
  replacedAt: Date | null;
  usedAt: Date | null;
  usedBy: string | null;
}

interface QrTokenDoc {
  _id: string;
  owner: string;
  createdAt?: Date;
  expiresAt: Date;
  replacedAt?: Date;
  usedAt?: Date;
  usedBy?: string;
}

@Injectable()
export class QrRepository {
  constructor(@InjectModel(QrToken.name) private readonly model: Model<QrToken>) {}

  async insert(hash: string, owner: string, now: Date, expiresAt: Date): Promise<void> {
    await nativeCollection<QrTokenDoc>(this.model).insertOne({ _id: hash, owner, expiresAt, createdAt: now });
  }

  /**
   * Marks the owner's older unused codes as replaced: only the newest one scans. "Older" is ordered by
   * (createdAt, _id), so of two codes created at the same moment exactly one survives.
   */
  async replaceOlder(owner: string, keep: string, createdAt: Date, now: Date): Promise<void> {
    await this.model.updateMany(
      {
        owner,
        usedAt: { $exists: false },
        replacedAt: { $exists: false },
        expiresAt: { $gt: now },
        $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: keep } }],
      },
      { $set: { replacedAt: now } },
    );
  }

  async findByHash(hash: string): Promise<QrTokenRow | null> {
    const doc = await this.model.findById(hash).lean<QrTokenDoc>();
    return doc
      ? {
          hash: doc._id,
          owner: doc.owner,
          expiresAt: doc.expiresAt,
          replacedAt: doc.replacedAt ?? null,
          usedAt: doc.usedAt ?? null,
          usedBy: doc.usedBy ?? null,
        }
      : null;
  }

  /** The owner's code that still scans (unused, not replaced, not expired), if any: the newest. */
  async newestLive(owner: string, now: Date): Promise<{ hash: string; expiresAt: Date } | null> {
    const doc = await this.model
      .findOne({ owner, usedAt: { $exists: false }, replacedAt: { $exists: false }, expiresAt: { $gt: now } }, { expiresAt: 1 })
      .sort({ createdAt: -1, _id: -1 })
      .lean<{ _id: string; expiresAt: Date }>();
    return doc ? { hash: doc._id, expiresAt: doc.expiresAt } : null;
  }

  async markUsed(hash: string, by: string, now: Date): Promise<void> {
    await this.model.updateOne({ _id: hash, usedAt: { $exists: false } }, { $set: { usedAt: now, usedBy: by } });
  }

  /** Cleanup job. */
  async deleteExpired(now: Date): Promise<number> {
    return (await this.model.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }

  /** user.deleted. */
  async deleteAllOf(owner: string): Promise<void> {
    await this.model.deleteMany({ owner });
  }
}
