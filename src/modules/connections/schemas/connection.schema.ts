import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One document per direction of a connection: `_id` is `${owner}:${peer}`, so "are A and B
 * connected" is a single `_id` lookup (the only lookup FerretDB serves from an index), and a
 * user's contact list is the documents they own. Both directions are written together on accept
 * and deleted together on removal or block; the deterministic `_id` makes the write happen once.
 */
@Schema({ collection: 'connections', timestamps: { createdAt: true, updatedAt: false }, versionKey: false })
export class Connection {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  owner!: string;

  @Prop({ type: String, required: true })
  peer!: string;

  createdAt!: Date;
}

export const ConnectionSchema = SchemaFactory.createForClass(Connection);
// GET /connections: a user's contacts, newest first, cursor on (createdAt, peer); contactIdsOf.
ConnectionSchema.index({ owner: 1, createdAt: -1, peer: -1 });
// user.deleted: the other users' directions pointing at the deleted user.
ConnectionSchema.index({ peer: 1 });

export const connectionId = (owner: string, peer: string): string => `${owner}:${peer}`;
