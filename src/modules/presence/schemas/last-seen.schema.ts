import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * When a user was last online, one document per user keyed by the user id: every read is a primary-key
 * lookup (`_id $in`), the one lookup FerretDB pushes down, so no secondary index is needed.
 */
@Schema({ collection: 'last_seen', timestamps: false, versionKey: false })
export class LastSeen {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Date, required: true })
  at!: Date;
}

export const LastSeenSchema = SchemaFactory.createForClass(LastSeen);
