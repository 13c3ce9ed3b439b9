import { Injectable, Optional } from '@nestjs/common';
import { MediaDirectory } from '@app/common';
import { toMessageView, type MessageView } from './message-view.js';
import { MessageRepository } from './message.repository.js';
import type { MessageRecord } from './schemas/message.schema.js';

/**
 * Message records -> the views clients get, with what a view needs from elsewhere looked up once per
 * batch: the messages answered (reply previews) and signed URLs of quoted statuses' thumbnails.
 * MediaDirectory is optional so chat runs (media-less) where the media module is not loaded.
 */
@Injectable()
export class MessageRenderer {
  constructor(
    private readonly messages: MessageRepository,
    @Optional() private readonly media?: MediaDirectory,
  ) {}

  /** `known`: records already at hand (e.g. the replied-to message of a send), not looked up again. */
  async render(records: MessageRecord[], known: MessageRecord[] = []): Promise<MessageView[]> {
    if (records.length === 0) return [];
    const now = new Date();
    const have = new Set(known.map((m) => m._id.toHexString()));
    const replyIds = [...new Set(records.flatMap((m) => (m.replyTo ? [m.replyTo.toHexString()] : [])))].filter((id) => !have.has(id));
    const [fetched, statusThumbnails] = await Promise.all([this.messages.findByIds(replyIds), this.statusThumbnails(records, now)]);
    const replies = new Map([...known, ...fetched].map((m) => [m._id.toHexString(), m]));
    return records.map((m) => toMessageView(m, { replies, statusThumbnails, now }));
  }

  async renderOne(record: MessageRecord, known: MessageRecord[] = []): Promise<MessageView> {
    const [view] = await this.render([record], known);
    return view;
  }

  /** Signed thumbnails of quoted statuses still available (null when media is not loaded or is gone). */
  private async statusThumbnails(records: MessageRecord[], now: Date): Promise<Map<string, string | null>> {
    const ids = [
      ...new Set(
        records.flatMap((m) =>
          m.statusRef?.thumbnailMediaId && !m.deletedForEveryone && m.statusRef.expiresAt > now ? [m.statusRef.thumbnailMediaId] : [],
        ),
      ),
    ];
    const media = this.media;
    if (ids.length === 0 || !media) return new Map();
    const urls = await Promise.all(ids.map((id) => media.urls(id)));
    return new Map(ids.map((id, i) => [id, urls[i]?.thumbnailUrl ?? urls[i]?.url ?? null]));
  }
}
