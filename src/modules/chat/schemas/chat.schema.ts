import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * One one-to-one chat. `_id` is derived from the two participant ids (chat-ids.ts), so a chat is
 * found by an `_id` lookup (the only lookup FerretDB serves from an index) and "get or create" is an
 * upsert that cannot create two chats for one pair. Per-participant state is a map keyed by user id
 * (`$max` / `$set` of `seen.<userId>`), never an array edited in place.
 */
@Schema({ collection: 'chats', timestamps: true, versionKey: false })
export class Chat {
  _id!: Types.ObjectId;

  /** The two participants, sorted by id. Never changes. */
  @Prop({ type: [Types.ObjectId], required: true })
  participants!: Types.ObjectId[];

  /**
   * The newest stored message's seq, written coalesced behind the sends (ChatSummaryWriter): it may lag.
   * Seqs are allocated from the chat's Redis counter (SendSlots); readers take the larger of the two.
   */
  @Prop({ type: Number, default: 0 })
  lastSeq!: number;

  /**
   * Highest change seq handed out (atomic `$inc`): every edit, delete and reaction takes the next one and
   * stamps it on the message, so chat:sync can replay changes after a client's change cursor.
   */
  @Prop({ type: Number, default: 0 })
  changeSeq!: number;

  /** The message that got `lastSeq`; set in the same update as `lastSeq` (never ahead of or behind it). */
  @Prop({ type: Types.ObjectId, default: null })
  lastMessageId!: Types.ObjectId | null;

  /** Time of the newest message (or creation): the order of `GET /chats`. */
  @Prop({ type: Date, required: true })
  lastActivityAt!: Date;

  /** userId -> highest seq delivered to that user's devices. Only moves forward (`$max`). */
  @Prop({ type: Map, of: Number, default: {} })
  delivered!: Map<string, number>;

  /** userId -> highest seq the user has seen. Only moves forward (`$max`). */
  @Prop({ type: Map, of: Number, default: {} })
  seen!: Map<string, number>;

  /** userId -> the user cleared the chat up to this seq: older messages are hidden from them. */
  @Prop({ type: Map, of: Number, default: {} })
  cleared!: Map<string, number>;

  /** userId -> muted until this time (notifications; far future = always). */
  @Prop({ type: Map, of: Date, default: {} })
  mutedUntil!: Map<string, Date>;

  createdAt!: Date;
  updatedAt!: Date;
}

export const ChatSchema = SchemaFactory.createForClass(Chat);

// GET /chats, chat:sync and the 'user.deleted' cleanup: a user's chats, newest activity first (used on
// MongoDB; FerretDB filters the chats collection, one small document per pair).
ChatSchema.index({ participants: 1, lastActivityAt: -1 });

/** A chat as repositories return it: lean, maps as plain objects. */
export interface ChatRecord {
  _id: Types.ObjectId;
  participants: Types.ObjectId[];
  lastSeq: number;
  /** Absent on chats stored before change seqs existed: read as 0. */
  changeSeq?: number;
  lastMessageId: Types.ObjectId | null;
  lastActivityAt: Date;
  delivered: Record<string, number>;
  seen: Record<string, number>;
  cleared: Record<string, number>;
  mutedUntil: Record<string, Date>;
  createdAt: Date;
  updatedAt: Date;
}
