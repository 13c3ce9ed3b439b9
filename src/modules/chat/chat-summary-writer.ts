import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ChatRepository, type ChatSummary } from './chat.repository.js';

/**
 * How long a chat's summary may lag its newest stored message (plus one write's time). Readers that
 * must not miss a message take the seq from the Redis counter (SeqCounters), so this bounds only how
 * stale the list order and the last-message preview of `GET /chats` can be.
 */
export const SUMMARY_FLUSH_MS = 50;
/** The wait before writing again after a failed write. */
const SUMMARY_RETRY_MS = 1000;
/** Chats written at once per flush (each is one `updateOne`). */
const FLUSH_CONCURRENCY = 16;

interface Pending extends ChatSummary {
  participants: [string, string];
}

/**
 * The chat summary (lastSeq, lastMessageId, lastActivityAt) written coalesced: every stored message
 * records itself here, and once per SUMMARY_FLUSH_MS each chat touched gets ONE write with its newest
 * message (`lastSeq < seq` filter, so writes from several processes in any order never move it back).
 * A failed write is kept and tried again at the next flush; pending summaries are written on shutdown.
 * A process killed with summaries pending loses them; the next seed of that chat's counter (SendSlots)
 * writes them again from the newest stored message, and readers never depend on them (SeqCounters).
 */
@Injectable()
export class ChatSummaryWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ChatSummaryWriter.name);
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** Set when a write failed (the database is away): the next flush waits longer. */
  private backoff = false;

  constructor(private readonly chats: ChatRepository) {}

  /** A stored message of the chat; cheap and synchronous (the write happens within SUMMARY_FLUSH_MS). */
  record(chatId: string, participants: [string, string], summary: ChatSummary): void {
    const current = this.pending.get(chatId);
    if (!current || summary.seq > current.seq) this.pending.set(chatId, { ...summary, participants });
    this.schedule();
  }

  /** Writes everything pending now (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending = new Map();
    this.flushing = this.write(batch);
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  /**
   * Writes now what this process holds pending for the user's chats: a user's own reads on this
   * process (GET /chats right after their send) see their write. Other processes' pending summaries
   * land within SUMMARY_FLUSH_MS.
   */
  async settle(userId: string): Promise<void> {
    if (this.flushing) await this.flushing;
    const mine = [...this.pending].filter(([, p]) => p.participants.includes(userId));
    if (mine.length === 0) return;
    for (const [chatId] of mine) this.pending.delete(chatId);
    await this.write(mine);
  }

  /** Deleted chats (account deletion): their pending summaries are dropped, not written. */
  forget(chatIds: readonly string[]): void {
    for (const id of chatIds) this.pending.delete(id);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private schedule(): void {
    if (this.timer || this.pending.size === 0) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush().catch((err: unknown) => this.logger.warn({ err }, 'chat summary flush failed'));
      },
      this.backoff ? SUMMARY_RETRY_MS : SUMMARY_FLUSH_MS,
    );
    this.timer.unref();
  }

  private async write(batch: Array<[string, Pending]>): Promise<void> {
    this.backoff = false;
    for (let i = 0; i < batch.length; i += FLUSH_CONCURRENCY) {
      await Promise.all(
        batch.slice(i, i + FLUSH_CONCURRENCY).map(async ([chatId, s]) => {
          try {
            await this.chats.writeSummary(chatId, s);
          } catch (err) {
            this.logger.warn({ err, chatId, seq: s.seq }, 'chat summary not written: kept for the next flush');
            this.backoff = true;
            this.record(chatId, s.participants, s);
          }
        }),
      );
    }
  }
}
