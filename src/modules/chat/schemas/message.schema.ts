import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import type { CallMessageInfo } from '@app/common';
import type { AttachmentPayload, ChatMessageType } from '@app/realtime';

export const MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'file', 'call'] as const satisfies readonly ChatMessageType[];
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** The status a message quotes, as stored: kept on the message, so the quote outlives the status. */
export interface StoredStatusRef {
  id: string;
  authorId: string;
  kind: 'text' | 'image' | 'video';
  text: string | null;
  thumbnailMediaId: string | null;
  expiresAt: Date;
}

/** A file carried by a message: stored exactly as clients receive it (libs/realtime events). */
export type Attachment = AttachmentPayload;

/**
 * One message of a chat. `_id` is derived from (senderId, clientMessageId) (chat-ids.ts): a retried
 * send finds its original by an `_id` lookup, and the unique index below is the guard that makes a
 * concurrent duplicate fail with E11000 instead of storing twice. Per-user state (reactions, hidden)
 * is a map keyed by user id.
 */
@Schema({ collection: 'messages', timestamps: true, versionKey: false })
export class Message {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  chatId!: Types.ObjectId;

  /** Position in the chat, from the chat's atomic counter: unique and increasing. */
  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop({ type: Types.ObjectId, required: true })
  senderId!: Types.ObjectId;

  @Prop({ type: String, required: true })
  clientMessageId!: string;

  @Prop({ type: String, enum: MESSAGE_TYPES, default: 'text' })
  type!: MessageType;

  /** Trimmed text; null on a tombstone or a caption-less attachment. */
  @Prop({ type: String, default: null })
  text!: string | null;

  @Prop({ type: [Object], default: [] })
  attachments!: Attachment[];

  /** A message of the same chat this one answers. */
  @Prop({ type: Types.ObjectId, default: null })
  replyTo!: Types.ObjectId | null;

  /** `type: 'call'` only: the finished call it records (posted by the calls module through ChatPoster). */
  @Prop({ type: Object, default: null })
  call!: CallMessageInfo | null;

  /** A reply or reaction to a status (posted by the status module through ChatPoster). */
  @Prop({ type: Object, default: null })
  statusRef!: StoredStatusRef | null;

  /** userId -> emoji: one reaction per user. */
  @Prop({ type: Map, of: String, default: {} })
  reactions!: Map<string, string>;

  @Prop({ type: Date, default: null })
  editedAt!: Date | null;

  /** Tombstone: text, attachments and reactions are wiped; the message keeps its seq. */
  @Prop({ type: Boolean, default: false })
  deletedForEveryone!: boolean;

  /** userId -> true: "delete for me". */
  @Prop({ type: Map, of: Boolean, default: {} })
  hiddenFor!: Map<string, boolean>;

  createdAt!: Date;
  updatedAt!: Date;
}

export const MessageSchema = SchemaFactory.createForClass(Message);

// History pages (`GET /chats/:id/messages`, chat:history), chat:sync and unread counts: one chat by
// seq. Unique: two messages can never share a seq in one chat.
MessageSchema.index({ chatId: 1, seq: 1 }, { unique: true });
// Idempotent send: one message per (sender, clientMessageId); a duplicate insert fails with E11000.
MessageSchema.index({ senderId: 1, clientMessageId: 1 }, { unique: true });

/** A message as repositories return it: lean, maps as plain objects. */
export interface MessageRecord {
  _id: Types.ObjectId;
  chatId: Types.ObjectId;
  seq: number;
  senderId: Types.ObjectId;
  clientMessageId: string;
  type: MessageType;
  text: string | null;
  attachments: Attachment[];
  replyTo: Types.ObjectId | null;
  /** Absent on messages stored before call messages existed: read as null. */
  call?: CallMessageInfo | null;
  statusRef?: StoredStatusRef | null;
  reactions: Record<string, string>;
  editedAt: Date | null;
  deletedForEveryone: boolean;
  hiddenFor: Record<string, boolean>;
  createdAt: Date;
  updatedAt: Date;
}
