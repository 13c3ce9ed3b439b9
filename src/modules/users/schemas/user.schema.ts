import { Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

/**
 * An account. Login identifiers live in their own collection (one document per identifier) so phone
 * and email are each unique without sparse or partial indexes, which FerretDB refuses.
 */
@Schema({ collection: 'users', timestamps: true })
export class User {
  _id!: Types.ObjectId;

  createdAt!: Date;
  updatedAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
