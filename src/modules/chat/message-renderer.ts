import { Injectable } from '@nestjs/common';
import { ChatMedia } from './chat-media.js';
import { toMessageView, type MessageView } from './message-view.js';
import { MessageRepository } from './message.repository.js';
import type { MessageRecord } from './schemas/message.schema.js';

/**
 * Message records -> the views clients get, with what a view needs from elsewhere looked up once per
 * batch: the messages answered (reply previews), the attachments' media with fresh signed URLs, and
 * signed URLs of quoted statuses' thumbnails.
 */
@Injectable()
export class MessageRenderer {
  constructor(
    private readonly messages: MessageRepository,
    private readonly media: ChatMedia,
  ) {}

  /** `known`: records already at hand (e.g. the replied-to message of a send), not looked up again. */
  async render(records: MessageRecord[], known: MessageRecord[] = []): Promise<MessageView[]> {
    if (records.length === 0) return [];
    const now = new Date();
    const have = new Set(known.map((m) => m._id.toHexString()));
    const replyIds = [...new Set(records.flatMap((m) => (m.replyTo ? [m.replyTo.toHexString()] : [])))].filter((id) => !have.has(id));
    const [fetched, statusThumbnails, media] = await Promise.all([
      this.messages.findByIds(replyIds),
      this.statusThumbnails(records, now),
      this.media.lookup(records),
    ]);
    const replies = new Map([...known, ...fetched].map((m) => [m._id.toHexString(), m]));
    return records.map((m) => toMessageView(m, { replies, statusThumbnails, media, now }));
  }

  async renderOne(record: MessageRecord, known: MessageRecord[] = []): Promise<MessageView> {
    const [view] = await this.render([record], known);
    return view;
  }

  /** Signed thumbnails of quoted statuses still available. */
  private async statusThumbnails(records: MessageRecord[], now: Date): Promise<Map<string, string | null>> {
    const ids = [
      ...new Set(
        records.flatMap((m) =>
          m.statusRef?.thumbnailMediaId && !m.deletedForEveryone && m.statusRef.expiresAt > now ? [m.statusRef.thumbnailMediaId] : [],
        ),
      ),
    ];
    const urls = await Promise.all(ids.map((id) => this.media.thumbnailUrl(id)));
    return new Map(ids.map((id, i) => [id, urls[i]]));
  }
}
