import { Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Types } from 'mongoose';
import type { MediaKind, MediaStatus } from '@app/common';

/** Object keys of one media item: the upload as received, and what processing made of it. */
export interface MediaObjectKeys {
  original: string;
  /** The rendition clients get (re-encoded image, MP4, Opus/M4A); documents: the original itself. */
  main?: string;
  thumbnail?: string;
  /** Video poster frame or PDF first-page preview. */
  preview?: string;
}

/**
 * One uploaded file and what the worker made of it. `refs` is a map keyed by referencing thing
 * (`message:<chatId>:<messageId>`, `status:<id>`), set and unset by dotted path (never an array
 * edited in place: FerretDB). `refsVersion` moves on every attach/detach so the orphan sweep deletes
 * only what it saw unreferenced (a conditional delete loses to a concurrent attach).
 */
@Schema({ collection: 'media', timestamps: true, versionKey: false })
export class Media {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true })
  _id!: Types.ObjectId;

  @Prop({ type: String, required: true })
  ownerId!: string;

  @Prop({ type: String, required: true })
  kind!: MediaKind;

  @Prop({ type: String, required: true })
  status!: MediaStatus;

  @Prop({ type: String, default: null })
  failureReason!: string | null;

  @Prop({ type: String, required: true })
  sha256!: string;

  /** `<ownerId>:<kind>:<sha256>`: the same bytes uploaded twice by one user are one media item. */
  @Prop({ type: String, required: true })
  dedupeKey!: string;

  /** Type of the upload as detected from its bytes. */
  @Prop({ type: String, required: true })
  originalMimeType!: string;

  @Prop({ type: Number, required: true })
  originalSizeBytes!: number;

  /** Type and size of the main rendition once ready (until then the original's). */
  @Prop({ type: String, required: true })
  mimeType!: string;

  @Prop({ type: Number, required: true })
  sizeBytes!: number;

  /** Sanitised original file name, for display only (documents). */
  @Prop({ type: String, default: null })
  name!: string | null;

  @Prop({ type: Number, default: null }) width!: number | null;
  @Prop({ type: Number, default: null }) height!: number | null;
  @Prop({ type: Number, default: null }) durationMs!: number | null;
  @Prop({ type: [Number], default: null }) waveform!: number[] | null;
  @Prop({ type: Number, default: null }) pageCount!: number | null;
  /** Thumbhash, base64. */
  @Prop({ type: String, default: null }) placeholder!: string | null;

  @Prop(raw({ original: String, main: String, thumbnail: String, preview: String }))
  keys!: MediaObjectKeys;

  @Prop({ type: MongooseSchema.Types.Mixed, default: {} })
  refs!: Record<string, Date>;

  @Prop({ type: Number, default: 0 })
  refsVersion!: number;

  createdAt!: Date;
  updatedAt!: Date;
}

export const MediaSchema = SchemaFactory.createForClass(Media);
// Upload: finds the earlier media of the same bytes (and is the guard when two uploads race).
MediaSchema.index({ dedupeKey: 1 }, { unique: true });
// Account deletion: every media item of a user.
MediaSchema.index({ ownerId: 1 });
// Orphan sweep: media older than the orphan TTL (references checked per document).
MediaSchema.index({ createdAt: 1 });
