import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

/** One signed-in device. Whether it is live is mirrored in Redis (see LiveSessions) for the per-request check. */
@Schema({ collection: 'sessions', timestamps: { createdAt: true, updatedAt: false } })
export class Session {
  _id!: Types.ObjectId;

  @Prop({ type: String, required: true })
  userId!: string;

  @Prop({ type: String, default: null })
  deviceName!: string | null;

  @Prop({ type: Date, required: true })
  lastUsedAt!: Date;

  /** Sliding: every refresh moves it REFRESH_TOKEN_TTL_DAYS ahead. Enforced at query time. */
  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;

  @Prop({ type: String, default: null })
  revokedReason!: string | null;

  createdAt!: Date;
}

export const SessionSchema = SchemaFactory.createForClass(Session);
// GET /auth/sessions and revoke-all on account deletion: the sessions of one user.
SessionSchema.index({ userId: 1 });
// Cleanup job: sessions past expiresAt.
SessionSchema.index({ expiresAt: 1 });
