import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { nativeCollection, storeOnce } from '@app/common';
import { ConnectionRequest, pairOf, type RequestStatus } from './schemas/connection-request.schema.js';

export interface RequestRow {
  id: string;
  from: string;
  to: string;
  status: RequestStatus;
  createdAt: Date;
  expiresAt: Date;
  resolvedAt: Date | null;
}

interface RequestDoc {
  _id: Types.ObjectId;
  from: string;
  to: string;
  status: RequestStatus;
  createdAt: Date;
  expiresAt: Date;
  resolvedAt?: Date;
}

export type InsertResult = { ok: true; request: RequestRow } | { ok: false; conflict: 'token' | 'pair' };

/**
 * Connection requests. Queries that serve users ignore requests past `expiresAt`, so correctness
 * never waits for the cleanup job.
 */
@Injectable()
export class RequestsRepository {
  constructor(@InjectModel(ConnectionRequest.name) private readonly model: Model<ConnectionRequest>) {}

  /**
   * Inserts a pending request. The unique indexes decide the races: `conflict: 'token'` when the QR
   * token was already used, `'pair'` when the two already have a pending request.
   */
  async insertPending(from: string, to: string, tokenHash: string, now: Date, expiresAt: Date): Promise<InsertResult> {
    const _id = new Types.ObjectId();
    const doc = {
      _id,
      from,
      to,
      status: 'pending' as const,
      tokenHash,
      pairKey: pairOf(from, to),
      expiresAt,
      createdAt: now,
      updatedAt: now,
    };
    const result = await storeOnce(
      () => nativeCollection<typeof doc>(this.model).insertOne(doc),
      // Which index refused it: look, rather than parse driver-specific error text.
      async () => ((await this.model.exists({ tokenHash })) ? ('token' as const) : ('pair' as const)),
    );
    return result.stored ? { ok: true, request: toRow(doc) } : { ok: false, conflict: result.of ?? 'pair' };
  }

  /** The pair's pending request, expired or not (the caller decides). */
  async pendingOfPair(a: string, b: string): Promise<RequestRow | null> {
    const doc = await this.model.findOne({ pairKey: pairOf(a, b) }).lean<RequestDoc>();
    return doc ? toRow(doc) : null;
  }

  /** Frees the pair's slot held by an expired pending request (query-time expiry). */
  async expirePending(id: string, now: Date): Promise<void> {
    await this.model.updateOne(
      { _id: new Types.ObjectId(id), status: 'pending', expiresAt: { $lte: now } },
      { $set: { pairKey: `expired:${id}`, resolvedAt: now } },
    );
  }

  async findById(id: string): Promise<RequestRow | null> {
    const doc = await this.model.findById(id).lean<RequestDoc>();
    return doc ? toRow(doc) : null;
  }

  /**
   * Moves a live pending request to `status` in one atomic update, only for the allowed actor
   * (`to` accepts/rejects, `from` cancels). Null when it was not pending, expired or not theirs:
   * of two concurrent accepts exactly one gets the request back.
   */
  async resolve(
    id: string,
    actor: { field: 'from' | 'to'; userId: string },
    status: Exclude<RequestStatus, 'pending'>,
    now: Date,
  ): Promise<RequestRow | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: new Types.ObjectId(id), [actor.field]: actor.userId, status: 'pending', expiresAt: { $gt: now } },
        { $set: { status, resolvedAt: now, pairKey: `${status}:${id}` } },
        { returnDocument: 'after' },
      )
      .lean<RequestDoc>();
    return doc ? toRow(doc) : null;
  }

  async listPending(
    direction: 'incoming' | 'outgoing',
    userId: string,
    now: Date,
    limit: number,
    after: { createdAt: Date; id: string } | null,
  ): Promise<RequestRow[]> {
    const field = direction === 'incoming' ? 'to' : 'from';
    const page = after
      ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: new Types.ObjectId(after.id) } }] }
      : {};
    const docs = await this.model
      .find({ [field]: userId, status: 'pending', expiresAt: { $gt: now }, ...page })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean<RequestDoc[]>();
    return docs.map(toRow);
  }

  /** Block: the pair's pending request (either direction) is cancelled; returns it, if there was one. */
  async cancelPendingOfPair(a: string, b: string, now: Date): Promise<RequestRow | null> {
    // The freed pairKey only has to be unique; the request's own id is not known before the update.
    const freed = `cancelled:${new Types.ObjectId().toHexString()}`;
    const doc = await this.model
      .findOneAndUpdate(
        { pairKey: pairOf(a, b), status: 'pending' },
        { $set: { status: 'cancelled', resolvedAt: now, pairKey: freed } },
        { returnDocument: 'after' },
      )
      .lean<RequestDoc>();
    return doc ? toRow(doc) : null;
  }

  /** Cleanup job: every request past its expiry, whatever its status. */
  async deleteExpired(now: Date): Promise<number> {
    return (await this.model.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }

  /** user.deleted. */
  async deleteAllOf(userId: string): Promise<void> {
    await this.model.deleteMany({ from: userId });
    await this.model.deleteMany({ to: userId });
  }
}

function toRow(doc: RequestDoc): RequestRow {
  return {
    id: doc._id.toHexString(),
    from: doc.from,
    to: doc.to,
    status: doc.status,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    resolvedAt: doc.resolvedAt ?? null,
  };
}
