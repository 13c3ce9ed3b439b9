import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import type { CallMessageInfo } from '@app/common';

export type CallState = 'ringing' | 'active' | 'ended';
export type CallOutcome = CallMessageInfo['outcome'];

/**
 * One call between two users, from invite to its end. State changes are conditional
 * findOneAndUpdate calls filtered by `_id` and the expected state (FerretDB's write lock makes them
 * atomic), so of two racing transitions (two devices accepting, accept vs. timeout) exactly one wins.
 * The active devices are socket ids: signaling goes to that one device on whichever process holds it.
 */
@Schema({ collection: 'calls', timestamps: true, versionKey: false })
export class Call {
  _id!: Types.ObjectId;

  @Prop({ type: String, required: true })
  callerId!: string;

  @Prop({ type: String, required: true })
  calleeId!: string;

  @Prop({ type: String, required: true, enum: ['audio', 'video'] })
  kind!: 'audio' | 'video';

  @Prop({ type: String, required: true, enum: ['ringing', 'active', 'ended'] })
  state!: CallState;

  /** Set when the call ends: what the call log and the chat message show. */
  @Prop({ type: String, default: null })
  outcome!: CallOutcome | null;

  /** Why it ended (hangup reason: `hangup`, `timeout`, `connection_lost`, `busy`, a client's reject reason...). */
  @Prop({ type: String, default: null })
  endReason!: string | null;

  /** The caller's device (the socket that sent call:invite, or the one that resumed). */
  @Prop({ type: String, required: true })
  callerSocketId!: string;

  /** The callee's answering device; null while ringing. */
  @Prop({ type: String, default: null })
  calleeSocketId!: string | null;

  /** Ringing stops here (CALL_RING_TIMEOUT_SECONDS after the invite). */
  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  answeredAt!: Date | null;

  @Prop({ type: Date, default: null })
  endedAt!: Date | null;

  /** Answered calls: from answer to end; 0 otherwise. */
  @Prop({ type: Number, default: 0 })
  durationMs!: number;

  /** userId -> when they deleted the call from their own log (the other party still sees it). */
  @Prop({ type: Map, of: Date, default: {} })
  hiddenFor!: Map<string, Date>;

  createdAt!: Date;
  updatedAt!: Date;
}

export const CallSchema = SchemaFactory.createForClass(Call);

// GET /calls on MongoDB: a user's calls as caller and as callee, newest first (two index scans of the $or).
CallSchema.index({ callerId: 1, createdAt: -1 });
CallSchema.index({ calleeId: 1, createdAt: -1 });

/** A call as the repository returns it: lean, maps as plain objects. */
export interface CallRecord {
  _id: Types.ObjectId;
  callerId: string;
  calleeId: string;
  kind: 'audio' | 'video';
  state: CallState;
  outcome: CallOutcome | null;
  endReason: string | null;
  callerSocketId: string;
  calleeSocketId: string | null;
  expiresAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  durationMs: number;
  hiddenFor: Record<string, Date>;
  createdAt: Date;
  updatedAt: Date;
}
