import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { AppError, OnDomainEvent, type DomainEvents } from '@app/common';
import { type ChatMarkerPayload, RealtimeEmitter } from '@app/realtime';
import { ChatAccessService, chatNotFound } from './chat-access.service.js';
import { ChatMedia } from './chat-media.js';
import { ChatSummaryWriter } from './chat-summary-writer.js';
import { decodeChatCursor, encodeChatCursor } from './chat-rules.js';
import { ChatRepository, type MarkerKind } from './chat.repository.js';
import { MarkerFlusher } from './marker-flusher.js';
import { type MarkerSeed, MarkerStore } from './marker-store.js';
import type { MessageView } from './message-view.js';
import { MessageRepository } from './message.repository.js';
import { MessageRenderer } from './message-renderer.js';
import { type PeerView, PeerViews } from './peer-views.js';
import type { ChatRecord } from './schemas/chat.schema.js';
import { SeqCounters } from './seq-counters.js';
import { UnreadCounts } from './unread-counts.js';

export interface ChatView {
  id: string;
  peer: PeerView;
  lastMessage: MessageView | null;
  /** Exactly the peer's messages above my seen (and cleared) marker, minus deleted ones. */
  unreadCount: number;
  lastSeq: number;
  markers: { mine: { delivered: number; seen: number }; peer: { delivered: number; seen: number } };
  muted: boolean;
  /** false after a block (either way) or a removed connection: the history stays readable, sending is refused. */
  canSend: boolean;
  lastActivityAt: string;
  createdAt: string;
}

/** The chat list, get-or-create, receipts (delivered/seen markers) and account-deletion cleanup. */
@Injectable()
export class ChatsService {
  private readonly logger = new Logger(ChatsService.name);

  constructor(
    private readonly access: ChatAccessService,
    private readonly chats: ChatRepository,
    private readonly messages: MessageRepository,
    private readonly renderer: MessageRenderer,
    private readonly media: ChatMedia,
    private readonly peers: PeerViews,
    private readonly realtime: RealtimeEmitter,
    private readonly counters: SeqCounters,
    private readonly summaries: ChatSummaryWriter,
    private readonly unreadCounts: UnreadCounts,
    private readonly markers: MarkerStore,
    private readonly markerWrites: MarkerFlusher,
  ) {}

  /** The caller's chats, newest activity first (former connections included, with `canSend: false`). */
  async list(userId: string, q: { cursor?: string; limit?: number }): Promise<{ items: ChatView[]; nextCursor: string | null }> {
    const cursor = q.cursor ? decodeChatCursor(q.cursor) : null;
    if (q.cursor && !cursor) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_cursor', 'cursor is not one this server issued');
    const limit = q.limit ?? 20;
    // The order comes from the summaries (lastActivityAt): this process's pending ones for the user first.
    await this.summaries.settle(userId);
    const [rows, sendable] = await Promise.all([this.chats.listOfUser(userId, cursor, limit + 1), this.access.sendablePeers(userId)]);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      // lastSeq from the Redis counters: the summary on the document may lag (ChatSummaryWriter).
      items: await this.render(userId, await this.counters.overlay(page), sendable),
      nextCursor: rows.length > limit && last ? encodeChatCursor({ at: last.lastActivityAt.getTime(), id: last._id.toHexString() }) : null,
    };
  }

  /** Get or create the chat with a connection: `created` is false when it already existed. */
  async open(userId: string, peerId: string): Promise<{ chat: ChatView; created: boolean }> {
    const access = await this.access.requirePeer(userId, peerId);
    const { chat, created } = await this.chats.upsert(access.chatId, access.participants);
    const [view] = await this.render(userId, await this.counters.overlay([chat]), new Set([peerId]));
    return { chat: view, created };
  }

  /** Readable by both participants whatever their connection now (`canSend` says whether they may write). */
  async get(userId: string, chatId: string): Promise<ChatView> {
    await this.summaries.settle(userId);
    const { access, chat } = await this.access.readChat(userId, chatId);
    const sendable = (await this.access.canSend(access)) ? new Set([access.peerId]) : new Set<string>();
    const [view] = await this.render(userId, await this.counters.overlay([chat]), sendable);
    return view;
  }

  /**
   * Moves the caller's delivered or seen marker forward (clamped to the last seq; never back) and, if
   * it moved, tells both participants' devices (`message:delivered` / `message:seen`) at once. Access
   * comes from the per-process caches and the move from one Redis script (MarkerStore); the database
   * write is coalesced with other receipts (MarkerFlusher) and the answer waits for it, so an ack means
   * stored. A marker that did not move but is not known to be stored (re-sent after a crash lost the
   * write) is written again.
   */
  async mark(userId: string, chatId: string, kind: MarkerKind, upToSeq: number): Promise<ChatMarkerPayload> {
    const access = await this.access.require(userId, chatId);
    const move = await this.markers.advance(chatId, userId, kind, upToSeq, () => this.markerSeed(chatId, userId));
    const payload = { chatId, userId, upToSeq: move.next };
    if (move.next > move.previous) {
      this.realtime.toUsers([access.peerId, userId], kind === 'seen' ? 'message:seen' : 'message:delivered', payload);
    }
    if (move.next > move.stored) await this.markerWrites.write(chatId, userId, kind, move.next);
    return payload;
  }

  /** The database's markers and last seq, for Redis to start from (a cold chat, or keys Redis lost). */
  private async markerSeed(chatId: string, userId: string): Promise<MarkerSeed> {
    const chat = await this.chats.findById(chatId);
    if (!chat) throw chatNotFound();
    return { lastSeq: chat.lastSeq, delivered: chat.delivered?.[userId] ?? 0, seen: chat.seen?.[userId] ?? 0 };
  }

  /**
   * A deleted account takes its chats with it: both sides' messages in them are deleted (the peer's
   * devices keep their local copy; the server keeps nothing of a conversation with a deleted user).
   */
  @OnDomainEvent('user.deleted')
  async onUserDeleted(event: DomainEvents['user.deleted']): Promise<void> {
    try {
      const chatIds = await this.chats.idsOfUser(event.userId);
      this.summaries.forget(chatIds);
      // Both sides' media in these chats lose their message references (the media module deletes what
      // nothing else uses; the deleted user's own media goes with their account anyway).
      for (const message of await this.messages.withAttachmentsIn(chatIds)) await this.media.detach(message);
      await this.messages.deleteByChats(chatIds);
      await this.chats.deleteByIds(chatIds);
      await this.counters.forget(chatIds);
      chatIds.forEach((id) => this.access.forget(id));
    } catch (err) {
      this.logger.error({ err, userId: event.userId }, 'deleting the chats of a deleted user failed');
    }
  }

  /** `sendable`: the peers the viewer may send to now. */
  private async render(userId: string, chats: ChatRecord[], sendable: ReadonlySet<string>): Promise<ChatView[]> {
    if (chats.length === 0) return [];
    const peerOf = (c: ChatRecord): string => c.participants.map((p) => p.toHexString()).find((p) => p !== userId) ?? userId;
    const lastIds = chats.flatMap((c) => (c.lastMessageId ? [c.lastMessageId.toHexString()] : []));
    const [unread, lastRecords, peers] = await Promise.all([
      this.unreadCounts.of(userId, chats),
      this.messages.findByIds(lastIds),
      this.peers.build(userId, chats.map(peerOf)),
    ]);
    const visible = lastRecords.filter((m) => m.hiddenFor?.[userId] !== true);
    const lastViews = new Map((await this.renderer.render(visible)).map((m) => [m.id, m]));
    const now = Date.now();
    return chats.map((c) => {
      const id = c._id.toHexString();
      const peerId = peerOf(c);
      const last = c.lastMessageId ? lastViews.get(c.lastMessageId.toHexString()) : undefined;
      return {
        id,
        peer: peers.get(peerId) ?? { id: peerId, profile: null, presence: null },
        lastMessage: last && last.seq > (c.cleared?.[userId] ?? 0) ? last : null,
        unreadCount: unread.get(id) ?? 0,
        lastSeq: c.lastSeq,
        markers: {
          mine: { delivered: c.delivered?.[userId] ?? 0, seen: c.seen?.[userId] ?? 0 },
          peer: { delivered: c.delivered?.[peerId] ?? 0, seen: c.seen?.[peerId] ?? 0 },
        },
        muted: (c.mutedUntil?.[userId]?.getTime() ?? 0) > now,
        canSend: sendable.has(peerId),
        lastActivityAt: c.lastActivityAt.toISOString(),
        createdAt: c.createdAt.toISOString(),
      };
    });
  }
}
