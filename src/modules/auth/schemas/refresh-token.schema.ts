import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Every refresh token ever issued, stored only as its SHA-256 (`_id`: lookups are primary-key
 * lookups). A used token is kept (usedAt set) until its session expires: presenting it again is
 * reuse, which revokes the session.
 */
@Schema({ collection: 'refresh_tokens', timestamps: { createdAt: true, updatedAt: false } })
export class RefreshToken {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  sessionId!: string;

  @Prop({ type: Date, default: null })
  usedAt!: Date | null;

  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  createdAt!: Date;
}

export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshToken);
// Cleanup job: tokens past expiresAt.
RefreshTokenSchema.index({ expiresAt: 1 });
