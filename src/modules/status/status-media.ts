import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { AppError, MediaDirectory, type MediaSummary, type MediaUrls } from '@app/common';
import type { StatusMediaPayload } from '@app/realtime';
import type { StatusKind, StatusRecord } from './schemas/status.schema.js';

export const statusRef = (statusId: string): string => `status:${statusId}`;

/**
 * What statuses need of the media module, through MediaDirectory. Optional so the app still boots where
 * the media module is not bound (photo/video statuses are then refused with 503, text ones work).
 */
@Injectable()
export class StatusMedia {
  // An explicit token: decorator metadata of a `T | null` parameter is not reliably T.
  constructor(@Optional() @Inject(MediaDirectory) private readonly media: MediaDirectory | null) {}

  /** The poster's media item for a `kind` status; refuses someone else's, a failed one, or the wrong kind. */
  async ownedFor(ownerId: string, mediaId: string, kind: Exclude<StatusKind, 'text'>): Promise<MediaSummary> {
    const [item] = await this.directory().ownedBy(ownerId, [mediaId]);
    if (!item) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_media', 'No such media item of yours');
    if (item.kind !== kind) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_media', `A ${kind} status needs ${kind} media`);
    if (item.status === 'failed') throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_media', 'This media item failed processing');
    return item;
  }

  async statusOf(mediaId: string): Promise<MediaSummary | null> {
    return (await this.directory().byIds([mediaId])).get(mediaId) ?? null;
  }

  attach(status: StatusRecord): Promise<void> {
    return status.mediaId ? this.directory().attach([status.mediaId], statusRef(status._id.toHexString())) : Promise.resolve();
  }

  /** The status no longer uses its media; the media module deletes unreferenced bytes. */
  async detach(status: StatusRecord): Promise<void> {
    if (status.mediaId && this.media) await this.media.detach([status.mediaId], statusRef(status._id.toHexString()));
  }

  /** Signed URLs and metadata of the statuses' media; only called once the viewer passed the gate. */
  async payloads(statuses: readonly StatusRecord[]): Promise<Map<string, StatusMediaPayload>> {
    const ids = [...new Set(statuses.map((s) => s.mediaId).filter((id): id is string => id !== null))];
    if (ids.length === 0 || !this.media) return new Map();
    const media = this.media;
    const [summaries, urls] = await Promise.all([media.byIds(ids), Promise.all(ids.map((id) => media.urls(id)))]);
    const out = new Map<string, StatusMediaPayload>();
    ids.forEach((id, i) => {
      const summary = summaries.get(id);
      if (summary) out.set(id, mediaPayload(summary, urls[i]));
    });
    return out;
  }

  private directory(): MediaDirectory {
    if (!this.media) throw new AppError(HttpStatus.SERVICE_UNAVAILABLE, 'media_unavailable', 'Photo and video statuses are not available');
    return this.media;
  }
}

function mediaPayload(m: MediaSummary, urls: MediaUrls | null): StatusMediaPayload {
  return {
    id: m.id,
    kind: m.kind === 'video' ? 'video' : 'image',
    mimeType: m.mimeType,
    width: m.width,
    height: m.height,
    durationMs: m.durationMs,
    placeholder: m.placeholder,
    url: urls?.url ?? null,
    thumbnailUrl: urls?.thumbnailUrl ?? null,
    previewUrl: urls?.previewUrl ?? null,
    urlsExpireAt: urls?.expiresAt ?? null,
  };
}
