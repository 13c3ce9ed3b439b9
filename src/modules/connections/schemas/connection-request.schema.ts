import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export type RequestStatus = 'pending' | 'accepted' | 'rejected' | 'cancelled';

/**
 * A request from the user who scanned a QR code (`from`) to its owner (`to`). Resolved requests are
 * kept (with their status) until `expiresAt`, so a late accept gets a clear answer; the cleanup job
 * deletes every request past `expiresAt`.
 */
@Schema({ collection: 'connection_requests', timestamps: true, versionKey: false })
export class ConnectionRequest {
  _id!: Types.ObjectId;

  @Prop({ type: String, required: true })
  from!: string;

  @Prop({ type: String, required: true })
  to!: string;

  @Prop({ type: String, required: true, enum: ['pending', 'accepted', 'rejected', 'cancelled'] })
  status!: RequestStatus;

  /**
   * Hash of the QR token the request was made with. Unique: of many concurrent scans of one token
   * exactly one insert succeeds; this index, not a read before the write, makes a token single-use.
   */
  @Prop({ type: String, required: true })
  tokenHash!: string;

  /**
   * `${min}:${max}` of the two user ids while pending, `${status}:${_id}` once resolved. Unique:
   * at most one pending request per pair. Always present (no sparse/partial index on FerretDB).
   */
  @Prop({ type: String, required: true })
  pairKey!: string;

  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  @Prop({ type: Date })
  resolvedAt?: Date;

  createdAt!: Date;
  updatedAt!: Date;
}

export const ConnectionRequestSchema = SchemaFactory.createForClass(ConnectionRequest);
// Scan: one request per QR token, the single-use guard.
ConnectionRequestSchema.index({ tokenHash: 1 }, { unique: true });
// Scan: one pending request per pair of users; also finds the pending request of a pair.
ConnectionRequestSchema.index({ pairKey: 1 }, { unique: true });
// GET /connections/requests?direction=incoming, newest first.
ConnectionRequestSchema.index({ to: 1, status: 1, createdAt: -1 });
// GET /connections/requests?direction=outgoing, newest first.
ConnectionRequestSchema.index({ from: 1, status: 1, createdAt: -1 });
// Cleanup job: requests past their expiry.
ConnectionRequestSchema.index({ expiresAt: 1 });

export const pairOf = (a: string, b: string): string => (a < b ? `${a}:${b}` : `${b}:${a}`);
