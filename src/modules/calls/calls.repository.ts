import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { oid } from '@app/common';
import type { LogCursor } from './call-rules.js';
import { Call, type CallRecord, type CallState } from './schemas/call.schema.js';

export type NewCall = Pick<CallRecord, 'callerId' | 'calleeId' | 'kind' | 'callerSocketId' | 'expiresAt' | 'offerSdp'> & {
  _id: Types.ObjectId;
};

/** The only code touching the calls collection. Ids arrive validated (24 hex). */
@Injectable()
export class CallsRepository {
  constructor(@InjectModel(Call.name) private readonly calls: Model<Call>) {}

  async insert(call: NewCall, now = new Date()): Promise<CallRecord> {
    const doc: Omit<CallRecord, 'hiddenFor'> & { hiddenFor: Record<string, Date> } = {
      ...call,
      state: 'ringing',
      outcome: null,
      endReason: null,
      calleeSocketId: null,
      answerSdp: null,
      answeredAt: null,
      endedAt: null,
      durationMs: 0,
      hiddenFor: {},
      createdAt: now,
      updatedAt: now,
    };
    await this.calls.collection.insertOne(doc);
    return doc;
  }

  findById(callId: string): Promise<CallRecord | null> {
    return this.calls.findById(callId).lean<CallRecord>().exec();
  }

  /**
   * The one way a call changes: applies `set` only if the call is still in `from` (and matches `where`),
   * atomically; null when another transition got there first.
   */
  async transition(
    callId: string,
    from: CallState | CallState[],
    where: Record<string, unknown>,
    set: Partial<CallRecord>,
  ): Promise<CallRecord | null> {
    const doc = await this.calls.collection.findOneAndUpdate(
      { _id: oid(callId), state: Array.isArray(from) ? { $in: from } : from, ...where },
      { $set: { ...set, updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
    return doc as unknown as CallRecord | null;
  }

  /** Calls not yet ended between the two users (either direction). */
  findLiveBetween(a: string, b: string): Promise<CallRecord[]> {
    return this.calls
      .find({ callerId: { $in: [a, b] }, calleeId: { $in: [a, b] }, state: { $ne: 'ended' } })
      .lean<CallRecord[]>()
      .exec();
  }

  /** A page of the user's finished calls (not hidden by them), newest first; one more than `limit` tells there is a next page. */
  listFor(userId: string, cursor: LogCursor | null, limit: number): Promise<CallRecord[]> {
    const filter: Record<string, unknown> = {
      $or: [{ callerId: userId }, { calleeId: userId }],
      state: 'ended',
      [`hiddenFor.${userId}`]: { $exists: false },
    };
    if (cursor) {
      filter.$and = [{ $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, _id: { $lt: oid(cursor.id) } }] }];
    }
    return this.calls
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<CallRecord[]>()
      .exec();
  }

  /** Hides a finished call from the user's own log; false when it is not theirs (or not finished). */
  async hideFor(userId: string, callId: string): Promise<boolean> {
    const res = await this.calls.collection.updateOne(
      { _id: oid(callId), $or: [{ callerId: userId }, { calleeId: userId }], state: 'ended' },
      { $set: { [`hiddenFor.${userId}`]: new Date() } },
    );
    return res.matchedCount === 1;
  }

  async deleteById(callId: string): Promise<void> {
    await this.calls.deleteOne({ _id: oid(callId) }).exec();
  }

  /** Account deleted: their calls go (the other party's log loses them too: the peer no longer exists). */
  async deleteOfUser(userId: string): Promise<void> {
    await this.calls.deleteMany({ $or: [{ callerId: userId }, { calleeId: userId }] }).exec();
  }
}
