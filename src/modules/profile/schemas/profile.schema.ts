import { Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Types } from 'mongoose';
import type { Audience } from '../privacy.js';

export interface StoredAvatar {
  key: string;
  thumbKey: string;
  contentType: string;
  width: number;
  height: number;
}

/**
 * One per user, `_id` = the user's id: every read is an `_id` lookup, the one query FerretDB serves
 * from an index on every backend. No secondary indexes. Fields never set are absent; the service
 * applies defaults when reading, so partial `$set`s never fight schema defaults on upsert.
 */
@Schema({ collection: 'profiles', timestamps: true, versionKey: false })
export class Profile {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true })
  _id!: Types.ObjectId;

  @Prop({ type: String })
  name?: string;

  @Prop({ type: String })
  about?: string;

  @Prop(raw({ key: String, thumbKey: String, contentType: String, width: Number, height: Number }))
  avatar?: StoredAvatar;

  @Prop(raw({ lastSeen: String, photo: String, about: String }))
  privacy?: Partial<Record<'lastSeen' | 'photo' | 'about', Audience>>;

  createdAt!: Date;
  updatedAt!: Date;
}

export const ProfileSchema = SchemaFactory.createForClass(Profile);
