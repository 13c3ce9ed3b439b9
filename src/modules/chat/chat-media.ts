import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { AppError, MediaDirectory, type MediaSummary, type MediaUrls, messageMediaRef } from '@app/common';
import type { AttachmentPayload } from '@app/realtime';
import { attachmentMessageType, MAX_ATTACHMENTS } from './chat-rules.js';
import type { Attachment, MessageRecord, MessageType } from './schemas/message.schema.js';

/** One media item as a message renders it: its summary (null once gone) and, when ready, signed URLs. */
export interface RenderedMedia {
  summary: MediaSummary | null;
  urls: MediaUrls | null;
}

/**
 * What chat needs of the media module, through MediaDirectory (bound globally by media, in the api and
 * the worker). Optional so chat runs where media is not loaded: text works, attachments are refused (503).
 */
@Injectable()
export class ChatMedia {
  // An explicit token: decorator metadata of an optional parameter is not reliably the class.
  constructor(@Optional() @Inject(MediaDirectory) private readonly media: MediaDirectory | null) {}

  /**
   * The attachments of a send: each the sender's own (else 404 `media_not_found`), not failed (409
   * `media_failed`; still processing is fine), in a combination one message can carry (400).
   */
  async forSend(ownerId: string, mediaIds: readonly string[]): Promise<{ attachments: Attachment[]; type: MessageType }> {
    const ids = [...new Set(mediaIds.map((id) => id.toLowerCase()))];
    if (ids.length === 0 || ids.length > MAX_ATTACHMENTS || ids.length !== mediaIds.length) {
      throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_attachments', `attachments must be 1-${MAX_ATTACHMENTS} distinct media ids`);
    }
    const owned = await this.directory().ownedBy(ownerId, ids);
    const byId = new Map(owned.map((m) => [m.id, m]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new AppError(HttpStatus.NOT_FOUND, 'media_not_found', `No media of yours with id ${missing.join(', ')}`, { mediaIds: missing });
    }
    const items = ids.map((id) => byId.get(id) as MediaSummary);
    const failed = items.filter((m) => m.status === 'failed').map((m) => m.id);
    if (failed.length > 0) {
      throw new AppError(HttpStatus.CONFLICT, 'media_failed', 'Media that failed processing cannot be sent', { mediaIds: failed });
    }
    const type = attachmentMessageType(items.map((m) => m.kind));
    if (!type) {
      throw new AppError(
        HttpStatus.BAD_REQUEST,
        'invalid_attachments',
        'Photos and videos can be sent together; a voice note, an audio file or a document goes alone',
      );
    }
    return { attachments: items.map((m) => ({ mediaId: m.id, kind: m.kind })), type };
  }

  /** The stored message now uses its media (idempotent: a retried send attaches again). */
  async attach(message: MessageRecord): Promise<void> {
    if (message.attachments.length === 0) return;
    await this.directory().attach(this.idsOf(message), messageMediaRef(message.chatId.toHexString(), message._id.toHexString()));
  }

  /** The message no longer shows its media (deleted for everyone, or its chat deleted): unreferenced media is deleted. */
  async detach(message: Pick<MessageRecord, '_id' | 'chatId' | 'attachments'>): Promise<void> {
    if (message.attachments.length === 0 || !this.media) return;
    await this.media.detach(this.idsOf(message), messageMediaRef(message.chatId.toHexString(), message._id.toHexString()));
  }

  /** Summaries and, for ready media, fresh signed URLs of every attachment of these messages. */
  async lookup(records: readonly MessageRecord[]): Promise<Map<string, RenderedMedia>> {
    const ids = [...new Set(records.flatMap((m) => (m.deletedForEveryone ? [] : this.idsOf(m))))];
    const media = this.media;
    if (ids.length === 0 || !media) return new Map();
    const summaries = await media.byIds(ids);
    const urls = await Promise.all(ids.map((id) => (summaries.get(id)?.status === 'ready' ? media.urls(id) : Promise.resolve(null))));
    return new Map(ids.map((id, i) => [id, { summary: summaries.get(id) ?? null, urls: urls[i] }]));
  }

  /** Signed URL of a quoted status's thumbnail (null when media is not loaded or the item is gone). */
  async thumbnailUrl(mediaId: string): Promise<string | null> {
    const urls = this.media ? await this.media.urls(mediaId) : null;
    return urls?.thumbnailUrl ?? urls?.url ?? null;
  }

  private idsOf(message: Pick<MessageRecord, 'attachments'>): string[] {
    return message.attachments.map((a) => a.mediaId);
  }

  private directory(): MediaDirectory {
    if (!this.media) throw new AppError(HttpStatus.SERVICE_UNAVAILABLE, 'media_unavailable', 'Media cannot be sent right now');
    return this.media;
  }
}

/** An attachment as clients get it, from the stored reference and what the media module says now. */
export function attachmentView(a: Attachment, found: RenderedMedia | undefined): AttachmentPayload {
  const m = found?.summary ?? null;
  const urls = m?.status === 'ready' ? (found?.urls ?? null) : null;
  return {
    mediaId: a.mediaId,
    kind: a.kind,
    voice: a.kind === 'voice',
    status: m ? m.status : 'failed',
    url: urls?.url ?? null,
    thumbnailUrl: urls?.thumbnailUrl ?? null,
    previewUrl: urls?.previewUrl ?? null,
    urlsExpireAt: urls?.expiresAt ?? null,
    mimeType: m?.mimeType ?? null,
    sizeBytes: m?.sizeBytes ?? null,
    name: m?.name ?? null,
    width: m?.width ?? null,
    height: m?.height ?? null,
    durationMs: m?.durationMs ?? null,
    waveform: m?.waveform ?? null,
    pageCount: m?.pageCount ?? null,
    placeholder: m?.placeholder ?? null,
  };
}
