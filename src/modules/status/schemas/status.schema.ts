import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export type StatusKind = 'text' | 'image' | 'video';
/** `pending`: a photo/video status waiting for its media to be processed; only `active` reaches the audience. */
export type StatusState = 'pending' | 'active' | 'failed';
export type AudienceMode = 'contacts' | 'contacts_except' | 'only';

/**
 * One status. The audience is resolved once, when it is posted, into one `status_audience` document per
 * member (a later privacy change neither widens nor narrows it); `audienceSize` records how many.
 * Expiry is enforced by every query (`expiresAt > now`); the cleanup job deletes what has expired.
 */
@Schema({ collection: 'statuses', timestamps: { createdAt: true, updatedAt: false }, versionKey: false })
export class Status {
  _id!: Types.ObjectId;

  @Prop({ type: String, required: true })
  authorId!: string;

  @Prop({ type: String, required: true, enum: ['text', 'image', 'video'] })
  kind!: StatusKind;

  @Prop({ type: String, required: true, enum: ['pending', 'active', 'failed'] })
  state!: StatusState;

  @Prop({ type: String, default: null })
  text!: string | null;

  @Prop({ type: String, default: null })
  background!: string | null;

  @Prop({ type: String, default: null })
  font!: string | null;

  @Prop({ type: String, default: null })
  mediaId!: string | null;

  @Prop({ type: String, default: null })
  caption!: string | null;

  /** The privacy mode that chose the audience (for the author's own list). */
  @Prop({ type: String, required: true })
  audienceMode!: AudienceMode;

  @Prop({ type: Number, required: true })
  audienceSize!: number;

  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  createdAt!: Date;
}

export const StatusSchema = SchemaFactory.createForClass(Status);
// GET /statuses and /statuses/mine: the author's own statuses in posting order.
StatusSchema.index({ authorId: 1, createdAt: 1 });
// Cleanup job: statuses past their expiry.
StatusSchema.index({ expiresAt: 1 });
// media.processed: pending statuses waiting for that media item.
StatusSchema.index({ mediaId: 1, state: 1 });

export interface StatusRecord {
  _id: Types.ObjectId;
  authorId: string;
  kind: StatusKind;
  state: StatusState;
  text: string | null;
  background: string | null;
  font: string | null;
  mediaId: string | null;
  caption: string | null;
  audienceMode: AudienceMode;
  audienceSize: number;
  expiresAt: Date;
  createdAt: Date;
}
