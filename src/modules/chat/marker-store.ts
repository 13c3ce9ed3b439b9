import { Inject, Injectable } from '@nestjs/common';
import { RedisFactory } from '../../core/redis/index.js';
import { REDIS, type Redis } from '../../core/redis/redis.module.js';
import type { MarkerKind } from './chat.repository.js';

/** What the database holds for one participant, to seed Redis with when it has lost (or never had) it. */
export interface MarkerSeed {
  lastSeq: number;
  delivered: number;
  seen: number;
}

/** One receipt's outcome: the marker before and after, and what the database is known to hold. */
export interface MarkerMove {
  previous: number;
  next: number;
  /** The highest value of this marker known to be written to the database. */
  stored: number;
}

/** How long a chat's marker hash outlives its last receipt (it is re-seeded from the database after). */
const MARKERS_TTL_MS = 7 * 24 * 3600 * 1000;

// KEYS[1] the chat's marker hash, KEYS[2] the chat's last allocated seq (written by the send path).
// ARGV: user, kind ('d' | 's'), requested seq, hash TTL ms, then optionally the database's
// lastSeq, delivered, seen (a seed). Fields: d:<user> / s:<user> the markers clients were told,
// D:<user> / S:<user> the values known to be in the database. Seeding only ever raises a field.
// Returns {-1} when it needs a seed (the user's markers, or the seq when the send path's key is absent),
// else {previous, next, stored}. The marker is clamped to the last seq and never moves back; seen
// implies delivered.
const ADVANCE = `
local h, u, kind = KEYS[1], ARGV[1], ARGV[2]
local seeded = ARGV[5] ~= nil
local function raise(field, value)
  local cur = tonumber(redis.call('HGET', h, field) or '-1')
  if value > cur then redis.call('HSET', h, field, value) return value end
  return cur
end
if seeded then
  local d, s = tonumber(ARGV[6]), tonumber(ARGV[7])
  raise('d:' .. u, d) raise('D:' .. u, d) raise('s:' .. u, s) raise('S:' .. u, s)
end
local last = redis.call('GET', KEYS[2])
if not last then
  if not seeded then return {-1} end
  last = ARGV[5]
end
local field = kind .. ':' .. u
local cur = redis.call('HGET', h, field)
if not cur then return {-1} end
cur = tonumber(cur)
local want = math.min(tonumber(ARGV[3]), tonumber(last))
local nxt = cur
if want > cur then
  nxt = want
  redis.call('HSET', h, field, nxt)
  if kind == 's' then raise('d:' .. u, nxt) end
end
redis.call('PEXPIRE', h, ARGV[4])
return {cur, nxt, tonumber(redis.call('HGET', h, string.upper(kind) .. ':' .. u) or '0')}
`;

// KEYS[1] the chat's marker hash; ARGV: user, delivered, seen (what was just written; 0 = not written).
const STORED = `
for i, f in ipairs({'D:', 'S:'}) do
  local v = tonumber(ARGV[i + 1])
  if v > 0 and v > tonumber(redis.call('HGET', KEYS[1], f .. ARGV[1]) or '-1') then redis.call('HSET', KEYS[1], f .. ARGV[1], v) end
end
return 1
`;

/**
 * Delivered/seen markers in Redis, so a receipt costs one round trip there instead of a database read
 * and write: the current marker, the clamp (the chat's last allocated seq, the send path's Redis
 * counter) and the move in one script. The database stays the durable copy (MarkerFlusher writes it);
 * Redis also remembers what is known to be written, so a marker re-sent after a crash that lost the
 * write is written again although it no longer moves.
 */
@Injectable()
export class MarkerStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
  ) {}

  /** `load` reads the database's values when Redis cannot answer alone (cold chat, lost keys, no seq key). */
  async advance(chatId: string, userId: string, kind: MarkerKind, upToSeq: number, load: () => Promise<MarkerSeed>): Promise<MarkerMove> {
    const keys = [this.keys.key('chat', chatId, 'markers'), this.keys.key('chat', chatId, 'seq')];
    const args = [userId, kind === 'seen' ? 's' : 'd', upToSeq, MARKERS_TTL_MS];
    let result = (await this.redis.eval(ADVANCE, 2, ...keys, ...args)) as number[];
    if (result[0] === -1) {
      const seed = await load();
      result = (await this.redis.eval(ADVANCE, 2, ...keys, ...args, seed.lastSeq, seed.delivered, seed.seen)) as number[];
    }
    const [previous, next, stored] = result;
    return { previous, next, stored };
  }

  /** After a database write: these values are durable (seen implies delivered, as in the write). */
  async noteStored(entries: ReadonlyArray<{ chatId: string; userId: string; delivered: number; seen: number }>): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const e of entries)
      pipeline.eval(STORED, 1, this.keys.key('chat', e.chatId, 'markers'), e.userId, Math.max(e.delivered, e.seen), e.seen);
    await pipeline.exec();
  }
}
