import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One document per login identifier, keyed by its canonical form: `_id` makes it unique (a second
 * account with the same phone or email fails with E11000) and makes sign-in a primary-key lookup,
 * which is the one lookup FerretDB pushes down.
 */
@Schema({ collection: 'user_identifiers', timestamps: { createdAt: true, updatedAt: false } })
export class UserIdentifier {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true, enum: ['phone', 'email'] })
  type!: 'phone' | 'email';

  @Prop({ type: String, required: true })
  userId!: string;

  createdAt!: Date;
}

export const UserIdentifierSchema = SchemaFactory.createForClass(UserIdentifier);
// GET /users/me and account deletion: the identifiers of one user. Unique per type: one phone and one
// email per account, even when two link verifies race (the read in addIdentifier alone would let both in).
UserIdentifierSchema.index({ userId: 1, type: 1 }, { unique: true });
