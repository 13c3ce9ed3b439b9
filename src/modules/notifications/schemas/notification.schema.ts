import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import type { NotificationKind, NotificationPayload } from '@app/realtime';

/**
 * One thing a user was told about. Stored once per event: `dedupeKey` is unique, so a replayed domain
 * event (BullMQ is at-least-once) fails with E11000 instead of notifying twice. Read state lives on the
 * document (readAt), so the unread count is always counted from documents, never kept as a counter.
 */
@Schema({ collection: 'notifications', timestamps: false, versionKey: false })
export class Notification {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  recipientId!: Types.ObjectId;

  @Prop({ type: String, required: true })
  kind!: NotificationKind;

  /** Listed in the in-app feed (and counted unread); message and incoming-call notifications only push. */
  @Prop({ type: Boolean, required: true })
  feed!: boolean;

  @Prop({ type: Types.ObjectId, default: null })
  actorId!: Types.ObjectId | null;

  @Prop({ type: Object, required: true })
  subject!: NotificationPayload['subject'];

  @Prop({ type: Object, default: {} })
  data!: NotificationPayload['data'];

  @Prop({ type: String, required: true })
  dedupeKey!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, default: null })
  seenAt!: Date | null;

  @Prop({ type: Date, default: null })
  readAt!: Date | null;

  /** When its fan-out (in-app emit, push jobs) was done: a replay finding it null finishes the fan-out. */
  @Prop({ type: Date, default: null })
  fannedOutAt!: Date | null;

  /** Messages: when a chat digest took this one into a push (null = still waiting for one). */
  @Prop({ type: Date, default: null })
  pushedAt!: Date | null;
}

export const NotificationSchema = SchemaFactory.createForClass(Notification);

// Store once per event: a duplicate insert fails with E11000 (also the replay's lookup).
NotificationSchema.index({ dedupeKey: 1 }, { unique: true });
// GET /notifications (newest first, cursor) and the unread count: one recipient's feed.
NotificationSchema.index({ recipientId: 1, feed: 1, createdAt: -1, _id: -1 });
// Chat digest: one recipient's message notifications of one chat not yet pushed.
NotificationSchema.index({ recipientId: 1, 'subject.id': 1, pushedAt: 1 });

export interface NotificationRecord {
  _id: Types.ObjectId;
  recipientId: Types.ObjectId;
  kind: NotificationKind;
  feed: boolean;
  actorId: Types.ObjectId | null;
  subject: NotificationPayload['subject'];
  data: NotificationPayload['data'];
  dedupeKey: string;
  createdAt: Date;
  seenAt: Date | null;
  readAt: Date | null;
  fannedOutAt: Date | null;
  pushedAt: Date | null;
}
