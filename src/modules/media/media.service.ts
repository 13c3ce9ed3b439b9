import { InjectQueue } from '@nestjs/bullmq';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { createReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { AppError, type MediaSummary, type MediaUrls, newObjectId, type Stored } from '@app/common';
import { receiveFile, StorageDriver } from '@app/storage';
import { AppConfig } from '../../config/index.js';
import { mayViewMedia } from './media-access.js';
import { MediaAnnouncer } from './media-announcer.js';
import { MediaCatalog } from './media-catalog.service.js';
import { mediaObjectKey } from './media-keys.js';
import { MediaJob, type MediaJobPayloads, MediaQueue } from './media.jobs.js';
import { type MediaRecord, MediaRepository } from './media.repository.js';
import { ACCEPTED_DESCRIPTION, ACCEPTED_MIME_TYPES, kindOfMime, mediaKindFor, sanitizeFileName } from './media-types.js';
import { toSummary } from './media-views.js';

export interface MediaView extends MediaSummary {
  createdAt: string;
  /** Signed URLs (null until ready); expire after MEDIA_URL_TTL_SECONDS. */
  urls: MediaUrls;
}

/** The api side: receive uploads (streamed, typed from the bytes), enqueue processing, answer lookups. */
@Injectable()
export class MediaService {
  constructor(
    private readonly repo: MediaRepository,
    private readonly catalog: MediaCatalog,
    private readonly announcer: MediaAnnouncer,
    private readonly storage: StorageDriver,
    private readonly config: AppConfig,
    @InjectQueue(MediaQueue.Media) private readonly queue: Queue,
  ) {}

  /** `created` false: these bytes were already uploaded by this user as this kind; that media is returned. */
  async upload(ownerId: string, req: IncomingMessage): Promise<{ created: boolean; media: MediaView }> {
    const limits = this.config.media.maxBytes;
    const file = await receiveFile(req, {
      field: 'file',
      maxBytes: Math.max(limits.image, limits.video, limits.audio, limits.document),
      maxBytesFor: (mime) => limits[kindOfMime(mime) ?? 'document'],
      accept: ACCEPTED_MIME_TYPES,
      acceptDescription: ACCEPTED_DESCRIPTION,
    });
    try {
      const asked = file.fields.kind;
      if (asked !== undefined && asked !== 'voice') {
        throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_kind', 'kind must be "voice" when given');
      }
      const kind = mediaKindFor(file.mime, asked);
      if (!kind)
        throw new AppError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_media_type', `The file must be ${ACCEPTED_DESCRIPTION}`);
      if (asked === 'voice' && kind !== 'voice') {
        throw new AppError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_media_type', 'A voice note must be audio');
      }
      const existing = await this.repo.findByDedupe(ownerId, kind, file.sha256);
      if (existing) return { created: false, media: await this.view(existing) };

      const id = newObjectId().toHexString();
      const original = mediaObjectKey(ownerId, id, 'original', file.ext);
      await this.storage.put(original, createReadStream(file.path), { contentType: file.mime, size: file.size });
      let stored: Stored<MediaRecord, MediaRecord>;
      try {
        stored = await this.repo.insertOnce({
          id,
          ownerId,
          kind,
          sha256: file.sha256,
          originalMimeType: file.mime,
          originalSizeBytes: file.size,
          name: kind === 'document' ? sanitizeFileName(file.fileName ?? undefined) : null,
          keys: { original },
        });
      } catch (err) {
        await this.catalog.deleteObjects([original]);
        throw err;
      }
      if (!stored.stored) {
        // Two uploads of the same bytes raced: the other one stored first.
        await this.catalog.deleteObjects([original]);
        if (!stored.of) throw new AppError(HttpStatus.CONFLICT, 'upload_conflict', 'The same upload is being stored; retry');
        return { created: false, media: await this.view(stored.of) };
      }
      const media = stored.value;
      await this.enqueue(id);
      return { created: true, media: await this.view(media) };
    } finally {
      await file.dispose();
    }
  }

  /** One job per media item: the job id is the media id, so a repeated enqueue is a no-op. */
  private async enqueue(mediaId: string): Promise<void> {
    const data: MediaJobPayloads[MediaJob.Process] = { mediaId };
    await this.queue.add(MediaJob.Process, data, { jobId: mediaId });
  }

  /** The owner, or a participant of a chat it was attached in; anyone else gets the same 404 as for no media. */
  async get(viewerId: string, id: string): Promise<MediaView> {
    const media = await this.repo.findById(id);
    if (!media || !mayViewMedia(media, viewerId)) throw notFound();
    return this.view(media);
  }

  /**
   * Cancels processing of one's own media: a waiting job is removed; a running one finishes but its
   * result is discarded, because the final state is set once and this sets it first.
   */
  async cancel(ownerId: string, id: string): Promise<MediaView> {
    const media = await this.repo.findById(id);
    if (!media || media.ownerId !== ownerId) throw notFound();
    if (media.status !== 'processing') {
      throw new AppError(HttpStatus.CONFLICT, 'media_not_processing', `The media is already ${media.status}`);
    }
    const job = await this.queue.getJob(id);
    if (job && !(await job.isActive())) await job.remove().catch(() => undefined);
    if (await this.repo.finish(id, 'failed', 'cancelled', null)) await this.announcer.announce(id);
    const after = await this.repo.findById(id);
    if (!after) throw notFound();
    return this.view(after);
  }

  async view(media: MediaRecord): Promise<MediaView> {
    return { ...toSummary(media), createdAt: media.createdAt.toISOString(), urls: await this.catalog.urlsOf(media) };
  }
}

export function notFound(): AppError {
  return new AppError(HttpStatus.NOT_FOUND, 'media_not_found', 'No such media');
}
