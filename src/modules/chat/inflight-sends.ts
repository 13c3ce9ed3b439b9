import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisFactory } from '../../core/redis/index.js';
import { REDIS, type Redis } from '../../core/redis/redis.module.js';

/**
 * `sends`: between "seq allocated" and "message stored". `changes`: between "change seq allocated" and
 * "change stored" (edits, deletes, reactions): a sync must not move a change cursor past it either.
 */
export type InflightLane = 'sends' | 'changes';

/** A send that has held its mark this long is taken as dead (its process crashed mid-send). */
export const INFLIGHT_STALE_MS = 10_000;

/**
 * Sends between "seq allocated" and "message stored", per chat, across api processes (a Redis sorted
 * set of tokens scored by start time). Two sends can store out of seq order (4 allocated, 5 stored
 * first); a sync that read only 5 would move the client's cursor past 4. So a send marks itself before
 * taking its seq and unmarks once stored (or failed), and readers that page forward by seq stop below
 * a gap while the chat has sends in flight (MessageReader). Marks age out after INFLIGHT_STALE_MS.
 * The `sends` lane is marked by SendSlots, in the same Lua script that takes the seq; `begin` serves
 * the `changes` lane (MessageEditor).
 */
@Injectable()
export class InflightSends {
  private readonly logger = new Logger(InflightSends.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
  ) {}

  /** Must complete before the (change) seq is allocated. Returns the token to pass to `end`. */
  async begin(chatId: string, lane: InflightLane = 'sends'): Promise<string> {
    const token = randomBytes(8).toString('hex');
    const key = this.key(chatId, lane);
    await this.redis
      .multi()
      .zadd(key, Date.now(), token)
      .pexpire(key, INFLIGHT_STALE_MS * 6)
      .exec();
    return token;
  }

  /** Not awaited on the send path: a lost unmark only makes readers careful until it ages out. */
  end(chatId: string, token: string, lane: InflightLane = 'sends'): void {
    this.redis
      .zrem(this.key(chatId, lane), token)
      .catch((err: unknown) => this.logger.warn({ err, chatId }, 'could not clear an in-flight send mark'));
  }

  /** The chats, of those given, with a send in flight now. Read it BEFORE reading their messages. */
  async busy(chatIds: readonly string[], lane: InflightLane = 'sends'): Promise<Set<string>> {
    if (chatIds.length === 0) return new Set();
    const since = Date.now() - INFLIGHT_STALE_MS;
    const pipeline = this.redis.pipeline();
    for (const id of chatIds) pipeline.zcount(this.key(id, lane), since, '+inf');
    const results = (await pipeline.exec()) ?? [];
    return new Set(chatIds.filter((_, i) => Number(results[i]?.[1] ?? 0) > 0));
  }

  /** The sorted set of the lane (SendSlots marks sends in it from its Lua script). */
  key(chatId: string, lane: InflightLane): string {
    return lane === 'sends' ? this.keys.key('chat', chatId, 'inflight') : this.keys.key('chat', chatId, 'changes-inflight');
  }
}
