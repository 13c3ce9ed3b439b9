import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisFactory } from '../../core/redis/index.js';
import { REDIS, type Redis } from '../../core/redis/redis.module.js';
import type { ChatRecord } from './schemas/chat.schema.js';

/**
 * The read side of the per-chat seq counters in Redis (`<prefix>:chat:<chatId>:seq`, the chat's last
 * allocated seq as an integer string; SendSlots allocates from it). The chat document's `lastSeq` is a
 * summary written with a bounded delay (ChatSummaryWriter), so a reader that decides "is there anything
 * new" takes the larger of the two. A counter may be absent (Redis lost it, or no send since it came back):
 * then the document's value is all there is.
 */
@Injectable()
export class SeqCounters {
  private readonly logger = new Logger(SeqCounters.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
  ) {}

  /** The key other modules may read too (the contract: absent, or the last allocated seq). */
  key(chatId: string): string {
    return this.keys.key('chat', chatId, 'seq');
  }

  /** One MGET: the counter per chat, null where absent. Throws when Redis does not answer. */
  async read(chatIds: readonly string[]): Promise<Array<number | null>> {
    if (chatIds.length === 0) return [];
    const values = await this.redis.mget(...chatIds.map((id) => this.key(id)));
    return values.map((v) => (v === null ? null : Number(v)));
  }

  /**
   * The chats with `lastSeq` raised to their counters (never lowered). Where Redis does not answer,
   * the documents as they are: a lag of at most the summary's flush delay, logged.
   */
  async overlay<T extends Pick<ChatRecord, '_id' | 'lastSeq'>>(chats: T[]): Promise<T[]> {
    if (chats.length === 0) return chats;
    const counters = await this.read(chats.map((c) => c._id.toHexString())).catch((err: unknown) => {
      this.logger.warn({ err }, 'seq counters unreadable: chat summaries as stored');
      return chats.map(() => null);
    });
    return chats.map((c, i) => {
      const counter = counters[i];
      return counter !== null && counter !== undefined && counter > c.lastSeq ? { ...c, lastSeq: counter } : c;
    });
  }

  /** Account deletion: a pair that connects again later starts its reused chat id from seq 1. */
  async forget(chatIds: readonly string[]): Promise<void> {
    if (chatIds.length > 0) await this.redis.del(...chatIds.map((id) => this.key(id)));
  }
}
