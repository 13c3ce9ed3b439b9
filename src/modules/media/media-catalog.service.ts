import { Injectable, Logger } from '@nestjs/common';
import { isMediaRef, isObjectId, MediaDirectory, type MediaSummary, type MediaUrls } from '@app/common';
import { StorageDriver } from '@app/storage';
import { AppConfig } from '../../config/index.js';
import { type MediaRecord, MediaRepository } from './media.repository.js';
import { toSummary } from './media-views.js';

/**
 * The MediaDirectory other modules (chat, status) use, in both processes: look media up, sign their
 * URLs, and count references so media nothing uses any more is deleted with its bytes.
 */
@Injectable()
export class MediaCatalog extends MediaDirectory {
  private readonly logger = new Logger(MediaCatalog.name);

  constructor(
    private readonly repo: MediaRepository,
    private readonly storage: StorageDriver,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async ownedBy(ownerId: string, ids: readonly string[]): Promise<MediaSummary[]> {
    const found = await this.byIds(ids);
    return ids.flatMap((id) => {
      const media = found.get(id.toLowerCase());
      return media && media.ownerId === ownerId ? [media] : [];
    });
  }

  async byIds(ids: readonly string[]): Promise<Map<string, MediaSummary>> {
    const valid = [...new Set(ids.filter(isObjectId).map((id) => id.toLowerCase()))];
    const records = await this.repo.findMany(valid);
    return new Map(records.map((r) => [r.id, toSummary(r)]));
  }

  async urls(mediaId: string): Promise<MediaUrls | null> {
    if (!isObjectId(mediaId)) return null;
    const media = await this.repo.findById(mediaId.toLowerCase());
    return media ? this.urlsOf(media) : null;
  }

  /** Only ready media have bytes to show: the original of an image still carries its EXIF. */
  async urlsOf(media: MediaRecord): Promise<MediaUrls> {
    const ttl = this.config.media.urlTtlSeconds;
    let expiresAt = new Date(Date.now() + ttl * 1000);
    const sign = async (key: string | undefined): Promise<string | null> => {
      if (media.status !== 'ready' || !key) return null;
      const signed = await this.storage.signedUrl(key, ttl);
      if (signed.expiresAt < expiresAt) expiresAt = signed.expiresAt;
      return signed.url;
    };
    const [url, thumbnailUrl, previewUrl] = await Promise.all([
      sign(media.keys.main),
      sign(media.keys.thumbnail),
      sign(media.keys.preview),
    ]);
    return { url, thumbnailUrl, previewUrl, expiresAt: expiresAt.toISOString() };
  }

  async attach(ids: readonly string[], ref: string): Promise<void> {
    if (!isMediaRef(ref)) throw new Error(`Invalid media ref "${ref}"`);
    await this.repo.addRefs(ids.filter(isObjectId), ref, new Date());
  }

  async detach(ids: readonly string[], ref: string): Promise<void> {
    if (!isMediaRef(ref)) throw new Error(`Invalid media ref "${ref}"`);
    const valid = ids.filter(isObjectId);
    await this.repo.removeRefs(valid, ref);
    for (const media of await this.repo.findMany(valid)) {
      if (media.refs.length === 0) await this.remove(media);
    }
  }

  /**
   * The document first (conditional: a concurrent attach wins), then the bytes: a crash in between
   * leaves unreferenced bytes (storage cost), never a document pointing at missing bytes.
   */
  async remove(media: MediaRecord): Promise<boolean> {
    if (!(await this.repo.deleteIfUnchanged(media.id, media.refsVersion))) return false;
    await this.deleteObjects(Object.values(media.keys));
    return true;
  }

  /**
   * The owner's account is gone: no reference keeps it. Bytes first, then the document: a job that
   * dies in between finds the document again on its retry, and a missing document means no bytes left.
   */
  async removeRegardless(media: MediaRecord): Promise<boolean> {
    await this.deleteObjects(Object.values(media.keys));
    return this.repo.deleteById(media.id);
  }

  /** Best effort, like avatars: an object left behind costs storage, not correctness. */
  async deleteObjects(keys: readonly (string | undefined)[]): Promise<void> {
    const unique = [...new Set(keys.filter((k): k is string => Boolean(k)))];
    const results = await Promise.allSettled(unique.map((key) => this.storage.delete(key)));
    for (const r of results) if (r.status === 'rejected') this.logger.warn(`Could not delete a media object: ${String(r.reason)}`);
  }
}
