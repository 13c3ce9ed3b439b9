export type MediaKind = 'image' | 'video' | 'audio' | 'voice' | 'document';
export type MediaStatus = 'processing' | 'ready' | 'failed';

/** A media item as other modules (chat, status) render it; no object keys, no URLs. */
export interface MediaSummary {
  id: string;
  ownerId: string;
  kind: MediaKind;
  status: MediaStatus;
  /** Why processing failed (status `failed`), else null. */
  failureReason: string | null;
  mimeType: string;
  sizeBytes: number;
  /** Original file name, sanitised, for display only (documents); else null. */
  name: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  /** Voice notes: 64 values 0-100. */
  waveform: number[] | null;
  pageCount: number | null;
  /** A compact placeholder (thumbhash, base64) shown before the bytes arrive; null when none. */
  placeholder: string | null;
}

/** Short-lived signed URLs of one media item's bytes; null where that variant does not exist (yet). */
export interface MediaUrls {
  url: string | null;
  thumbnailUrl: string | null;
  /** Video poster frame or PDF first-page preview. */
  previewUrl: string | null;
  expiresAt: string;
}

/**
 * What chat and status need of the media module. Access is decided by the caller (chat participant,
 * status audience); this only looks media up, signs URLs, and tracks which things reference a media
 * item so unreferenced media can be deleted. Bound globally by the media module.
 */
export abstract class MediaDirectory {
  /** Media owned by `ownerId` among `ids`, in the order asked; ids that are not theirs are absent. */
  abstract ownedBy(ownerId: string, ids: readonly string[]): Promise<MediaSummary[]>;
  /** Media by id regardless of owner (the caller has already checked the viewer may see them). */
  abstract byIds(ids: readonly string[]): Promise<Map<string, MediaSummary>>;
  /** Signed URLs valid for MEDIA_URL_TTL_SECONDS (the caller has already checked access). */
  abstract urls(mediaId: string): Promise<MediaUrls | null>;
  /** Records that `ref` (e.g. `message:<id>`, `status:<id>`) uses these media; idempotent. */
  abstract attach(ids: readonly string[], ref: string): Promise<void>;
  /** `ref` no longer uses these media; media left with no reference is deleted (bytes included). */
  abstract detach(ids: readonly string[], ref: string): Promise<void>;
}
