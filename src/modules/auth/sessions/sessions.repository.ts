import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { RefreshToken } from '../schemas/refresh-token.schema.js';
import { Session } from '../schemas/session.schema.js';

export interface SessionRecord {
  id: string;
  userId: string;
  deviceName: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface RefreshTokenRecord {
  sessionId: string;
  usedAt: Date | null;
  expiresAt: Date;
}

type SessionDoc = Session & { _id: Types.ObjectId };
const toSession = (d: SessionDoc): SessionRecord => ({
  id: d._id.toHexString(),
  userId: d.userId,
  deviceName: d.deviceName,
  createdAt: d.createdAt,
  lastUsedAt: d.lastUsedAt,
  expiresAt: d.expiresAt,
  revokedAt: d.revokedAt,
});

/** The only code touching the sessions and refresh_tokens collections. */
@Injectable()
export class SessionsRepository {
  constructor(
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
    @InjectModel(RefreshToken.name) private readonly tokens: Model<RefreshToken>,
  ) {}

  async create(userId: string, deviceName: string | null, expiresAt: Date): Promise<SessionRecord> {
    const now = new Date();
    const doc = await this.sessions.create({ _id: new Types.ObjectId(), userId, deviceName, lastUsedAt: now, expiresAt });
    return toSession(doc.toObject<SessionDoc>());
  }

  async findById(sessionId: string): Promise<SessionRecord | null> {
    const doc = await this.sessions.findById(sessionId).lean<SessionDoc>();
    return doc ? toSession(doc) : null;
  }

  /** Live (unrevoked, unexpired) sessions of a user, newest first. */
  async liveOf(userId: string, now: Date): Promise<SessionRecord[]> {
    const docs = await this.sessions
      .find({ userId, revokedAt: null, expiresAt: { $gt: now } })
      .sort({ createdAt: -1 })
      .lean<SessionDoc[]>();
    return docs.map(toSession);
  }

  async touch(sessionId: string, lastUsedAt: Date, expiresAt: Date): Promise<void> {
    await this.sessions.updateOne({ _id: new Types.ObjectId(sessionId) }, { $set: { lastUsedAt, expiresAt } });
  }

  /** Marks a session revoked; returns false when it was already revoked or does not exist. */
  async revoke(sessionId: string, reason: string, userId?: string): Promise<boolean> {
    const filter = { _id: new Types.ObjectId(sessionId), revokedAt: null, ...(userId ? { userId } : {}) };
    const res = await this.sessions.updateOne(filter, { $set: { revokedAt: new Date(), revokedReason: reason } });
    return res.modifiedCount > 0;
  }

  async insertRefreshToken(hash: string, sessionId: string, expiresAt: Date): Promise<void> {
    await this.tokens.create({ _id: hash, sessionId, expiresAt });
  }

  /** Atomically marks an unused token used; null when it does not exist or was used already. */
  async consumeRefreshToken(hash: string, now: Date): Promise<RefreshTokenRecord | null> {
    const doc = await this.tokens.findOneAndUpdate({ _id: hash, usedAt: null }, { $set: { usedAt: now } }).lean();
    return doc ? { sessionId: doc.sessionId, usedAt: doc.usedAt, expiresAt: doc.expiresAt } : null;
  }

  async findRefreshToken(hash: string): Promise<RefreshTokenRecord | null> {
    const doc = await this.tokens.findById(hash).lean();
    return doc ? { sessionId: doc.sessionId, usedAt: doc.usedAt, expiresAt: doc.expiresAt } : null;
  }

  /** Scheduled cleanup: expired sessions and tokens (expiry is enforced at query time anyway). */
  async deleteExpired(now: Date): Promise<{ sessions: number; tokens: number }> {
    const tokens = await this.tokens.deleteMany({ expiresAt: { $lte: now } });
    const sessions = await this.sessions.deleteMany({ expiresAt: { $lte: now } });
    return { sessions: sessions.deletedCount, tokens: tokens.deletedCount };
  }
}
