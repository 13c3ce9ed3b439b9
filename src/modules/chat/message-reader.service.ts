import { Injectable } from '@nestjs/common';
import { ChatAccessService } from './chat-access.service.js';
import { DEFAULT_PAGE, firstGap, nextChangeCursor } from './chat-rules.js';
import { ChatRepository } from './chat.repository.js';
import { InflightSends } from './inflight-sends.js';
import type { MessageUpdateKind } from '@app/realtime';
import { MessageRenderer } from './message-renderer.js';
import type { MessageView } from './message-view.js';
import { MessageRepository } from './message.repository.js';
import type { ChatRecord } from './schemas/chat.schema.js';
import { SendSlots } from './send-slots.js';
import type { MessageRecord } from './schemas/message.schema.js';

/** A change to a message the client holds, replayed by chat:sync (the message as it is now). */
export interface SyncChange {
  changeSeq: number;
  kind: MessageUpdateKind;
  message: MessageView;
}

export interface SyncResult {
  chats: Array<{
    chatId: string;
    messages: MessageView[];
    hasMore: boolean;
    /** Only when the client sent a change cursor for the chat; in change order. */
    changes: SyncChange[];
    /** The change cursor to send next time for this chat. */
    changeSeq: number;
  }>;
}

export interface MessagePage {
  items: MessageView[];
  hasMore: boolean;
}

const SYNC_CONCURRENCY = 8;

interface SyncTarget {
  chat: ChatRecord;
  chatId: string;
  cleared: number;
  /** Messages after this seq are new to the client. */
  from: number;
  /** The client's change cursor, null when it sent none. */
  changeFrom: number | null;
}

interface ChatSyncRecords {
  chatId: string;
  items: MessageRecord[];
  hasMore: boolean;
  changes: MessageRecord[];
  changeFrom: number | null;
  changeSeq: number;
}

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
    private readonly slots: SendSlots,
  ) {}

  /** Messages by seq: the newest page below `before` (default), or the oldest above `after`. */
  async history(userId: string, chatId: string, q: { before?: number; after?: number; limit?: number }): Promise<MessagePage> {
    const { chat } = await this.access.readChat(userId, chatId);
    const cleared = chat.cleared?.[userId] ?? 0;
    const afterSeq = Math.max(q.after ?? 0, cleared);
    const forward = q.after !== undefined && q.before === undefined;
    // Paging forward moves the client's cursor: read the in-flight marks before the messages.
    const busy = forward ? await this.inflight.busy([chatId]) : new Set<string>();
    const page = await this.messages.page(chatId, userId, {
      afterSeq,
      beforeSeq: q.before ?? null,
      lastSeq: chat.lastSeq,
      limit: q.limit ?? DEFAULT_PAGE,
      from: forward ? 'oldest' : 'newest',
    });
    const { items, hasMore } = busy.has(chatId) ? await this.stopAtGap(chatId, afterSeq, page) : page;
    return { items: await this.renderer.render(items), hasMore };
  }

  /**
   * chat:sync: every chat of the user (blocked or removed peers included) with messages after the
   * client's cursor (missing = 0), oldest first, up to `limit` per chat; `hasMore` asks the client to
   * sync again from its new cursors. With a change cursor for a chat (`changeCursors`), also the changes
   * (edits, deletes, reactions, my own "delete for me") since it to messages the client holds, in change
   * order, and the change cursor to send next time. Without one (older clients) no changes are computed.
   */
  async sync(
    userId: string,
    cursors: Record<string, number>,
    limit: number,
    changeCursors: Record<string, number> = {},
  ): Promise<SyncResult> {
    // Every chat the user takes part in, former connections included: their history stays readable.
    // Read BEFORE the in-flight marks: a change seq at or below `changeSeq` here was marked before it.
    // The newest seq comes from the Redis counters (the summary on the document may lag, ChatSummaryWriter),
    // also read before the marks: a seq at or below a counter is stored, failed, or still marked.
    const chats = await this.slots.latest(await this.chats.allOfUser(userId));
    const pending = chats
      .map((chat): SyncTarget => {
        const chatId = chat._id.toHexString();
        const cleared = chat.cleared?.[userId] ?? 0;
        return { chat, chatId, cleared, from: Math.max(cursors[chatId] ?? 0, cleared), changeFrom: changeCursors[chatId] ?? null };
      })
      .filter((t) => t.chat.lastSeq > t.from || (t.changeFrom !== null && (t.chat.changeSeq ?? 0) > t.changeFrom))
      .sort((a, b) => b.chat.lastActivityAt.getTime() - a.chat.lastActivityAt.getTime());
    // The in-flight marks are read before any message: see inflight-sends.ts.
    const ids = pending.map((t) => t.chatId);
    const [busy, changing] = await Promise.all([this.inflight.busy(ids), this.inflight.busy(ids, 'changes')]);
    // A few chats at a time: a device back after days may have hundreds of chats to catch up.
    const pages: ChatSyncRecords[] = [];
    for (let i = 0; i < pending.length; i += SYNC_CONCURRENCY) {
      pages.push(
        ...(await Promise.all(pending.slice(i, i + SYNC_CONCURRENCY).map((t) => this.syncChat(userId, t, limit, busy, changing)))),
      );
    }
    const rendered = await this.renderer.render(pages.flatMap((p) => [...p.items, ...p.changes]));
    const byId = new Map(rendered.map((m) => [m.id, m]));
    return {
      chats: pages
        .filter((p) => p.items.length > 0 || p.hasMore || p.changes.length > 0 || p.changeSeq !== p.changeFrom)
        .map((p) => ({
          chatId: p.chatId,
          messages: p.items.map((m) => byId.get(m._id.toHexString()) as MessageView),
          hasMore: p.hasMore,
          changes: p.changes.map((m) => ({
            changeSeq: m.changeSeq ?? 0,
            kind: m.hiddenFor?.[userId] === true ? ('hidden' as const) : (m.changeKind ?? 'edited'),
            message: byId.get(m._id.toHexString()) as MessageView,
          })),
          changeSeq: p.changeSeq,
        })),
    };
  }

  private async syncChat(
    userId: string,
    t: SyncTarget,
    limit: number,
    busy: ReadonlySet<string>,
    changing: ReadonlySet<string>,
  ): Promise<ChatSyncRecords> {
    const { chat, chatId, from, changeFrom } = t;
    const latest = chat.changeSeq ?? 0;
    const [page, changes] = await Promise.all([
      chat.lastSeq > from
        ? this.messages
            .page(chatId, userId, { afterSeq: from, beforeSeq: null, lastSeq: chat.lastSeq, limit, from: 'oldest' })
            .then((p) => (busy.has(chatId) ? this.stopAtGap(chatId, from, p) : p))
        : Promise.resolve({ items: [], hasMore: false }),
      changeFrom !== null && latest > changeFrom
        ? this.messages.changesSince(chatId, userId, { afterChangeSeq: changeFrom, aboveSeq: t.cleared, upToSeq: from, limit })
        : Promise.resolve({ items: [], hasMore: false }),
    ]);
    return {
      chatId,
      ...page,
      changes: changes.items,
      changeFrom,
      changeSeq: nextChangeCursor(changeFrom, latest, changes, changing.has(chatId)),
      hasMore: page.hasMore || changes.hasMore,
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
