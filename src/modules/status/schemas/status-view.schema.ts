import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One document per status and viewer, `_id` `<statusId>:<viewerId>`: the unique `_id` makes a view count
 * once however many devices and processes report it (the first insert wins; its time is kept).
 */
@Schema({ collection: 'status_views', versionKey: false })
export class StatusView {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  statusId!: string;

  @Prop({ type: String, required: true })
  viewerId!: string;

  @Prop({ type: String, required: true })
  authorId!: string;

  @Prop({ type: Date, required: true })
  viewedAt!: Date;

  /** Copied from the status for the cleanup job. */
  @Prop({ type: Date, required: true })
  expiresAt!: Date;
}

export const StatusViewSchema = SchemaFactory.createForClass(StatusView);
// GET /statuses/mine: the viewers of a status, in viewing order.
StatusViewSchema.index({ statusId: 1, viewedAt: 1 });
// Cleanup job: views of expired statuses.
StatusViewSchema.index({ expiresAt: 1 });

export const viewId = (statusId: string, viewerId: string): string => `${statusId}:${viewerId}`;

export interface StatusViewRecord {
  _id: string;
  statusId: string;
  viewerId: string;
  authorId: string;
  viewedAt: Date;
  expiresAt: Date;
}
