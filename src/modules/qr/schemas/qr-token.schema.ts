import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A connection QR code. `_id` is the SHA-256 of the token (the token itself is never stored), so a
 * scan is one `_id` lookup. Single use is guarded by the unique `tokenHash` of the request a scan
 * creates (connections module); `usedAt` records it for clear errors afterwards.
 */
@Schema({ collection: 'qr_tokens', timestamps: { createdAt: true, updatedAt: false }, versionKey: false })
export class QrToken {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  owner!: string;

  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  /** Set when a newer code of the same owner replaced this one before it was used. */
  @Prop({ type: Date })
  replacedAt?: Date;

  @Prop({ type: Date })
  usedAt?: Date;

  @Prop({ type: String })
  usedBy?: string;

  createdAt!: Date;
}

export const QrTokenSchema = SchemaFactory.createForClass(QrToken);
// POST /qr (replace the owner's unused code) and user.deleted.
QrTokenSchema.index({ owner: 1 });
// Cleanup job: codes past their expiry.
QrTokenSchema.index({ expiresAt: 1 });
