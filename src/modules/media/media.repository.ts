import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { type MediaKind, type MediaStatus, type Stored, storeOnce } from '@app/common';
import { Media, type MediaObjectKeys } from './schemas/media.schema.js';

export interface MediaRecord {
  id: string;
  ownerId: string;
  kind: MediaKind;
  status: MediaStatus;
  failureReason: string | null;
  sha256: string;
  originalMimeType: string;
  originalSizeBytes: number;
  mimeType: string;
  sizeBytes: number;
  name: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  waveform: number[] | null;
  pageCount: number | null;
  placeholder: string | null;
  keys: MediaObjectKeys;
  refs: string[];
  refsVersion: number;
  createdAt: Date;
}

export type NewMedia = Pick<MediaRecord, 'id' | 'ownerId' | 'kind' | 'sha256' | 'originalMimeType' | 'originalSizeBytes' | 'name' | 'keys'>;

/** What processing found, written once together with the final status. */
export type ProcessedFields = Partial<
  Pick<MediaRecord, 'mimeType' | 'sizeBytes' | 'width' | 'height' | 'durationMs' | 'waveform' | 'pageCount' | 'placeholder'>
> & { keys: MediaObjectKeys };

type Lean = Omit<Media, 'refs'> & { _id: Types.ObjectId; refs?: Record<string, Date> };

/** The only place touching the media collection; plain objects out. */
@Injectable()
export class MediaRepository {
  constructor(@InjectModel(Media.name) private readonly model: Model<Media>) {}

  static dedupeKey(ownerId: string, kind: MediaKind, sha256: string): string {
    return `${ownerId}:${kind}:${sha256}`;
  }

  /** Stored, or refused because the owner already has these bytes as this kind (`of`: that media). */
  insertOnce(media: NewMedia): Promise<Stored<MediaRecord, MediaRecord>> {
    return storeOnce(
      () => this.insert(media),
      () => this.findByDedupe(media.ownerId, media.kind, media.sha256),
    );
  }

  private async insert(media: NewMedia): Promise<MediaRecord> {
    const doc = await this.model.create({
      ...media,
      _id: new Types.ObjectId(media.id),
      status: 'processing',
      failureReason: null,
      dedupeKey: MediaRepository.dedupeKey(media.ownerId, media.kind, media.sha256),
      mimeType: media.originalMimeType,
      sizeBytes: media.originalSizeBytes,
      refs: {},
      refsVersion: 0,
    });
    return toRecord(doc.toObject());
  }

  async findByDedupe(ownerId: string, kind: MediaKind, sha256: string): Promise<MediaRecord | null> {
    const doc = await this.model
      .findOne({ dedupeKey: MediaRepository.dedupeKey(ownerId, kind, sha256) })
      .lean<Lean>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  async findById(id: string): Promise<MediaRecord | null> {
    const doc = await this.model.findById(new Types.ObjectId(id)).lean<Lean>().exec();
    return doc ? toRecord(doc) : null;
  }

  async findMany(ids: readonly string[]): Promise<MediaRecord[]> {
    if (ids.length === 0) return [];
    const docs = await this.model
      .find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } })
      .lean<Lean[]>()
      .exec();
    return docs.map(toRecord);
  }

  async findByOwner(ownerId: string): Promise<MediaRecord[]> {
    const docs = await this.model.find({ ownerId }).lean<Lean[]>().exec();
    return docs.map(toRecord);
  }

  /** Never attached (refsVersion 0: attach and detach both move it; a detach to zero refs deletes at once). */
  async findUnattachedBefore(cutoff: Date, limit: number): Promise<MediaRecord[]> {
    const docs = await this.model
      .find({ refsVersion: 0, createdAt: { $lt: cutoff } })
      .limit(limit)
      .lean<Lean[]>()
      .exec();
    return docs.map(toRecord);
  }

  /**
   * The final state, set once: only a media item still `processing` moves, so a job that runs twice
   * (or finishes after a cancel) changes nothing. Returns whether this call set it.
   */
  async finish(id: string, status: 'ready' | 'failed', failureReason: string | null, fields: ProcessedFields | null): Promise<boolean> {
    // A failed item gives up its dedupe key: uploading the same bytes again starts afresh.
    const set: Record<string, unknown> = { status, failureReason, ...(status === 'failed' ? { dedupeKey: `failed:${id}` } : {}) };
    if (fields) for (const [k, v] of Object.entries(fields)) if (v !== undefined) set[k] = v;
    const res = await this.model.updateOne({ _id: new Types.ObjectId(id), status: 'processing' }, { $set: set }).exec();
    return res.modifiedCount === 1;
  }

  async addRefs(ids: readonly string[], ref: string, at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.model
      .updateMany({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { $set: { [`refs.${ref}`]: at }, $inc: { refsVersion: 1 } })
      .exec();
  }

  async removeRefs(ids: readonly string[], ref: string): Promise<void> {
    if (ids.length === 0) return;
    await this.model
      .updateMany({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { $unset: { [`refs.${ref}`]: 1 }, $inc: { refsVersion: 1 } })
      .exec();
  }

  async deleteById(id: string): Promise<boolean> {
    const res = await this.model.deleteOne({ _id: new Types.ObjectId(id) }).exec();
    return res.deletedCount === 1;
  }

  /** Deletes the document only if no attach/detach happened since it was read at `refsVersion`. */
  async deleteIfUnchanged(id: string, refsVersion: number): Promise<boolean> {
    const res = await this.model.deleteOne({ _id: new Types.ObjectId(id), refsVersion }).exec();
    return res.deletedCount === 1;
  }
}

function toRecord(doc: Lean): MediaRecord {
  return {
    id: doc._id.toHexString(),
    ownerId: doc.ownerId,
    kind: doc.kind,
    status: doc.status,
    failureReason: doc.failureReason ?? null,
    sha256: doc.sha256,
    originalMimeType: doc.originalMimeType,
    originalSizeBytes: doc.originalSizeBytes,
    mimeType: doc.mimeType,
    sizeBytes: doc.sizeBytes,
    name: doc.name ?? null,
    width: doc.width ?? null,
    height: doc.height ?? null,
    durationMs: doc.durationMs ?? null,
    waveform: doc.waveform?.length ? [...doc.waveform] : null,
    pageCount: doc.pageCount ?? null,
    placeholder: doc.placeholder ?? null,
    keys: { ...doc.keys },
    refs: Object.keys(doc.refs ?? {}),
    refsVersion: doc.refsVersion ?? 0,
    createdAt: doc.createdAt,
  };
}
