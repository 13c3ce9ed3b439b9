import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { ChatRepository, type MarkerKind, type MarkerWrite } from './chat.repository.js';
import { MarkerStore } from './marker-store.js';

/** Writes per bulkWrite: a burst over many chats becomes a few round trips, none unbounded. */
const MAX_BATCH = 500;

interface Pending extends MarkerWrite {
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

/**
 * The database side of delivered/seen markers, coalesced: every receipt for one (chat, user) within
 * CHAT_MARKER_FLUSH_MS becomes one `$max` write, and all of them together one `bulkWrite`. `write`
 * resolves once its value is stored, so a receipt's ack still means "durable"; the socket events went
 * out before (ChatsService.mark). Markers are monotonic (`$max`), so the order and repetition of writes,
 * here or in another process, cannot move one back. Flushed on shutdown.
 */
@Injectable()
export class MarkerFlusher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MarkerFlusher.name);
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    private readonly chats: ChatRepository,
    private readonly store: MarkerStore,
    private readonly config: AppConfig,
  ) {}

  /** Resolves when the database holds at least `seq` for this marker (rejects if the write failed). */
  write(chatId: string, userId: string, kind: MarkerKind, seq: number): Promise<void> {
    const key = `${chatId}:${userId}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { chatId, userId, delivered: 0, seen: 0, waiters: [] };
      this.pending.set(key, entry);
    }
    entry[kind] = Math.max(entry[kind], seq);
    const done = new Promise<void>((resolve, reject) => entry.waiters.push({ resolve, reject }));
    if (this.closing) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.config.chat.markerFlushMs);
    return done;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.flush();
  }

  /** Everything pending now, in batches; a failed batch fails its own receipts (clients re-send). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const entries = [...this.pending.values()];
    this.pending = new Map();
    for (let i = 0; i < entries.length; i += MAX_BATCH) await this.writeBatch(entries.slice(i, i + MAX_BATCH));
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      await this.chats.advanceMarkers(batch);
    } catch (err) {
      this.logger.warn({ err, writes: batch.length }, 'marker write failed; the receipts are refused and clients re-send them');
      for (const e of batch) for (const w of e.waiters) w.reject(err);
      return;
    }
    for (const e of batch) for (const w of e.waiters) w.resolve();
    // Best effort: if this is lost, a later re-sent marker is written once more (harmless with `$max`).
    await this.store.noteStored(batch).catch((err: unknown) => this.logger.warn({ err }, 'could not note stored markers in Redis'));
  }
}
