import { Injectable } from '@nestjs/common';
import { InflightSends } from './inflight-sends.js';
import { MessageRepository, type UnreadQuery } from './message.repository.js';
import type { ChatRecord } from './schemas/chat.schema.js';

/** Counts remembered per process; an entry is a few dozen bytes. */
const MAX_ENTRIES = 50_000;

/**
 * Exact unread counts for the chat list (ChatView.unreadCount): the peer's messages in (max(seen,
 * cleared), lastSeq], not deleted for everyone, not deleted for the reader.
 *
 * Counting means reading every unread message (FerretDB decodes each in Go; there is no count pushdown),
 * and `GET /chats` asks for the same counts again and again while nothing changes. A count depends only
 * on the chat's messages in that seq range, which change only through a new message (it takes a seq
 * first: lastSeq moves), a change to a message (it takes a change seq first: changeSeq moves) or the
 * reader's markers; so it is remembered under exactly (chat, reader, from, lastSeq, changeSeq) and a
 * different key is a different count: nothing to invalidate, in this process or another. One gap: a
 * seq or change seq handed out but not yet stored; such a count is used but not remembered (the
 * in-flight marks of inflight-sends.ts, read after the chat and before the messages, say which).
 */
@Injectable()
export class UnreadCounts {
  private readonly remembered = new Map<string, number>();

  constructor(
    private readonly messages: MessageRepository,
    private readonly inflight: InflightSends,
  ) {}

  /** `chats` as just read; the counts by chat id (0 when nothing is unread). */
  async of(readerId: string, chats: readonly ChatRecord[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const missing: Array<{ chat: ChatRecord; key: string; query: UnreadQuery }> = [];
    for (const chat of chats) {
      const chatId = chat._id.toHexString();
      const from = Math.max(chat.seen?.[readerId] ?? 0, chat.cleared?.[readerId] ?? 0);
      if (chat.lastSeq <= from) continue;
      const key = `${chatId}:${readerId}:${from}:${chat.lastSeq}:${chat.changeSeq ?? 0}`;
      const known = this.remembered.get(key);
      if (known !== undefined) {
        counts.set(chatId, known);
        continue;
      }
      const peerId = chat.participants.map((p) => p.toHexString()).find((p) => p !== readerId) ?? readerId;
      missing.push({ chat, key, query: { chatId, peerId, aboveSeq: from, upToSeq: chat.lastSeq } });
    }
    if (missing.length === 0) return counts;
    const ids = missing.map((m) => m.query.chatId);
    const [sending, changing] = await Promise.all([this.inflight.busy(ids), this.inflight.busy(ids, 'changes')]);
    const fresh = await this.messages.unreadCounts(
      readerId,
      missing.map((m) => m.query),
    );
    for (const { key, query } of missing) {
      const n = fresh.get(query.chatId) ?? 0;
      counts.set(query.chatId, n);
      if (!sending.has(query.chatId) && !changing.has(query.chatId)) this.remember(key, n);
    }
    return counts;
  }

  private remember(key: string, n: number): void {
    if (this.remembered.size >= MAX_ENTRIES) {
      // Oldest first (Map keeps insertion order): a chat whose key moved on is never asked again.
      const oldest = this.remembered.keys().next();
      if (!oldest.done) this.remembered.delete(oldest.value);
    }
    this.remembered.set(key, n);
  }
}
