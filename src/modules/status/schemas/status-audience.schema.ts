import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One document per (status, audience member), `_id` `<viewerId>:<statusId>`: "may this viewer see this
 * status" is one `_id` lookup (the only lookup FerretDB serves from an index) and "statuses visible to me"
 * is a query on `viewerId`, without arrays edited in place. Written once, when the status is posted.
 */
@Schema({ collection: 'status_audience', versionKey: false })
export class StatusAudience {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  viewerId!: string;

  @Prop({ type: String, required: true })
  statusId!: string;

  @Prop({ type: String, required: true })
  authorId!: string;

  /** Copied from the status, so the feed query and the cleanup need not read the status. */
  @Prop({ type: Date, required: true })
  expiresAt!: Date;
}

export const StatusAudienceSchema = SchemaFactory.createForClass(StatusAudience);
// GET /statuses: the statuses visible to a viewer that have not expired.
StatusAudienceSchema.index({ viewerId: 1, expiresAt: 1 });
// Fan-out (status:new / status:deleted) and deletion of one status's audience.
StatusAudienceSchema.index({ statusId: 1 });
// Cleanup job: audience rows of expired statuses.
StatusAudienceSchema.index({ expiresAt: 1 });

export const audienceId = (viewerId: string, statusId: string): string => `${viewerId}:${statusId}`;
