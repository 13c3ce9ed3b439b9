import { Injectable } from '@nestjs/common';
import { ChatAccessService } from './chat-access.service.js';
import { DEFAULT_PAGE, firstGap } from './chat-rules.js';
import { ChatRepository } from './chat.repository.js';
import { InflightSends } from './inflight-sends.js';
import { MessageRenderer } from './message-renderer.js';
import type { MessageView } from './message-view.js';
import { MessageRepository } from './message.repository.js';
import type { MessageRecord } from './schemas/message.schema.js';

export interface SyncResult {
  chats: Array<{ chatId: string; messages: MessageView[]; hasMore: boolean }>;
}

export interface MessagePage {
  items: MessageView[];
  hasMore: boolean;
}

const SYNC_CONCURRENCY = 8;

interface MessagePageRecords {
  items: MessageRecord[];
  hasMore: boolean;
}

/**
 * Reading messages: history pages by seq and chat:sync catch-up. Forward reads never move a client's
 * cursor past a seq that may still be stored (inflight-sends.ts).
 */
@Injectable()
export class MessageReader {
  constructor(
    private readonly access: ChatAccessService,
    private readonly chats: ChatRepository,
    private readonly messages: MessageRepository,
    private readonly renderer: MessageRenderer,
    private readonly inflight: InflightSends,
  ) {}

  /** Messages by seq: the newest page below `before` (default), or the oldest above `after`. */
  async history(userId: string, chatId: string, q: { before?: number; after?: number; limit?: number }): Promise<MessagePage> {
    const { chat } = await this.access.requireChat(userId, chatId);
    const cleared = chat.cleared?.[userId] ?? 0;
    const afterSeq = Math.max(q.after ?? 0, cleared);
    const forward = q.after !== undefined && q.before === undefined;
    // Paging forward moves the client's cursor: read the in-flight marks before the messages.
    const busy = forward ? await this.inflight.busy([chatId]) : new Set<string>();
    const page = await this.messages.page(chatId, userId, {
      afterSeq,
      beforeSeq: q.before ?? null,
      limit: q.limit ?? DEFAULT_PAGE,
      from: forward ? 'oldest' : 'newest',
    });
    const { items, hasMore } = busy.has(chatId) ? await this.stopAtGap(chatId, afterSeq, page) : page;
    return { items: await this.renderer.render(items), hasMore };
  }

  /**
   * chat:sync: every chat of the user with messages after the client's cursor (missing = 0), oldest
   * first, up to `limit` per chat; `hasMore` asks the client to sync again from its new cursor.
   */
  async sync(userId: string, cursors: Record<string, number>, limit: number): Promise<SyncResult> {
    const mine = await this.access.chatIdsOf(userId);
    const chats = await this.chats.findWithMessages([...mine.keys()]);
    const pending = chats
      .map((chat) => ({ chat, from: Math.max(cursors[chat._id.toHexString()] ?? 0, chat.cleared?.[userId] ?? 0) }))
      .filter(({ chat, from }) => chat.lastSeq > from)
      .sort((a, b) => b.chat.lastActivityAt.getTime() - a.chat.lastActivityAt.getTime());
    // The in-flight marks are read before any message: see inflight-sends.ts.
    const busy = await this.inflight.busy(pending.map(({ chat }) => chat._id.toHexString()));
    // A few chats at a time: a device back after days may have hundreds of chats to catch up.
    const pages: Array<{ chatId: string; items: MessageRecord[]; hasMore: boolean }> = [];
    for (let i = 0; i < pending.length; i += SYNC_CONCURRENCY) {
      const batch = pending.slice(i, i + SYNC_CONCURRENCY).map(async ({ chat, from }) => {
        const chatId = chat._id.toHexString();
        const page = await this.messages.page(chatId, userId, { afterSeq: from, beforeSeq: null, limit, from: 'oldest' });
        return { chatId, ...(busy.has(chatId) ? await this.stopAtGap(chatId, from, page) : page) };
      });
      pages.push(...(await Promise.all(batch)));
    }
    const rendered = await this.renderer.render(pages.flatMap((p) => p.items));
    const byId = new Map(rendered.map((m) => [m.id, m]));
    return {
      chats: pages
        .filter((p) => p.items.length > 0 || p.hasMore)
        .map((p) => ({ chatId: p.chatId, messages: p.items.map((m) => byId.get(m._id.toHexString()) as MessageView), hasMore: p.hasMore })),
    };
  }

  /**
   * While a chat has sends in flight, a forward page ends below the first missing seq (it may still be
   * stored) with `hasMore`, so the client's cursor never passes it; a gap whose send failed is passed
   * once its mark ages out.
   */
  private async stopAtGap(chatId: string, afterSeq: number, page: MessagePageRecords): Promise<MessagePageRecords> {
    const last = page.items.at(-1);
    if (!last) return page;
    const gap = firstGap(afterSeq, await this.messages.storedSeqs(chatId, afterSeq, last.seq));
    return gap === null ? page : { items: page.items.filter((m) => m.seq < gap), hasMore: true };
  }
}
