import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One document per block: `_id` is `${blocker}:${blocked}`, so "does A block B" is an `_id` lookup. */
@Schema({ collection: 'blocks', timestamps: { createdAt: true, updatedAt: false }, versionKey: false })
export class Block {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  blocker!: string;

  @Prop({ type: String, required: true })
  blocked!: string;

  createdAt!: Date;
}

export const BlockSchema = SchemaFactory.createForClass(Block);
// GET /blocks: the users one user blocks, newest first, cursor on (createdAt, blocked).
BlockSchema.index({ blocker: 1, createdAt: -1, blocked: -1 });
// user.deleted: the blocks others hold against a deleted user.
BlockSchema.index({ blocked: 1 });

export const blockId = (blocker: string, blocked: string): string => `${blocker}:${blocked}`;
