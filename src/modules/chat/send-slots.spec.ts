import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RedisFactory } from '../../core/redis/index.js';
import type { ChatRepository } from './chat.repository.js';
import type { ChatSummaryWriter } from './chat-summary-writer.js';
import { INFLIGHT_STALE_MS, InflightSends } from './inflight-sends.js';
import type { MessageRepository } from './message.repository.js';
import type { ChatRecord } from './schemas/chat.schema.js';
import { SendSlots } from './send-slots.js';
import { SeqCounters } from './seq-counters.js';

const ME = '665f1c2b9a1e4d3f2a1b0c9a';
const PEER = '665f1c2b9a1e4d3f2a1b0c9b';
const PAIR: [string, string] = [ME, PEER];
const msg = (n: number): string => new Types.ObjectId().toHexString().slice(0, 20) + n.toString(16).padStart(4, '0');

/**
 * The Lua scripts of SendSlots against a real Redis (the shared one, under a prefix of this run's own,
 * removed afterwards; nothing else is touched). The database is replaced: `db` is what it holds.
 */
describe('SendSlots on a real Redis', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `slots-spec-${randomBytes(4).toString('hex')}`;
  const clients: Redis[] = [];
  let db: { chat: Partial<ChatRecord> | null; newestSeq: number | null };
  let upserts: number;
  let repaired: number[];
  let chatId: string;

  /** One api process: its own Redis connection and scripts. */
  function processSlots(): SendSlots {
    const redis = new Redis(url);
    clients.push(redis);
    const keys = { key: (...parts: Array<string | number>) => [prefix, ...parts].join(':') } as RedisFactory;
    const chats = {
      findById: vi.fn(() => Promise.resolve(db.chat)),
      upsert: vi.fn(() => {
        upserts++;
        return Promise.resolve({ chat: db.chat, created: true });
      }),
    };
    const messages = {
      newestOf: vi.fn(() =>
        Promise.resolve(db.newestSeq === null ? null : { _id: new Types.ObjectId(), seq: db.newestSeq, createdAt: new Date() }),
      ),
    };
    const summaries = { record: vi.fn((_c: string, _p: unknown, s: { seq: number }) => repaired.push(s.seq)) };
    const slots = new SendSlots(
      redis,
      keys,
      new SeqCounters(redis, keys),
      new InflightSends(redis, keys),
      chats as unknown as ChatRepository,
      messages as unknown as MessageRepository,
      summaries as unknown as ChatSummaryWriter,
    );
    slots.onModuleInit();
    return slots;
  }

  beforeEach(() => {
    db = { chat: null, newestSeq: null };
    upserts = 0;
    repaired = [];
    chatId = new Types.ObjectId().toHexString();
  });

  afterAll(async () => {
    const [redis] = clients;
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('a new chat: the counter is seeded from the database (the chat document created), then 1, 2, 3', async () => {
    const slots = processSlots();
    const seqs = [];
    for (let i = 0; i < 3; i++) seqs.push((await slots.reserve(chatId, PAIR, msg(i), slots.token())).seq);
    expect(seqs).toEqual([1, 2, 3]);
    expect(upserts).toBe(1);
    expect(await clients[0].get(`${prefix}:chat:${chatId}:seq`)).toBe('3');
  });

  it('a dedupe hit returns the original seq: marked again while the original is in flight, settled once it ended', async () => {
    const slots = processSlots();
    const id = msg(1);
    const earlier = slots.token();
    await slots.reserve(chatId, PAIR, msg(0), earlier);
    slots.release(chatId, earlier);
    const first = slots.token();
    expect(await slots.reserve(chatId, PAIR, id, first)).toEqual({ kind: 'fresh', seq: 2 });
    const retry = slots.token();
    expect(await slots.reserve(chatId, PAIR, id, retry)).toEqual({ kind: 'pending', seq: 2 });
    const inflight = new InflightSends(clients[0], { key: (...p: Array<string | number>) => [prefix, ...p].join(':') } as RedisFactory);
    slots.release(chatId, first);
    // The retry's own mark still protects seq 2 from forward readers.
    await vi.waitFor(async () => expect(await clients[0].zscore(inflight.key(chatId, 'sends'), first)).toBeNull());
    expect(await inflight.busy([chatId])).toEqual(new Set([chatId]));
    slots.release(chatId, retry);
    await vi.waitFor(async () => expect(await inflight.busy([chatId])).toEqual(new Set()));
    expect(await slots.reserve(chatId, PAIR, id, slots.token())).toEqual({ kind: 'settled', seq: 2 });
    // Asked for a fresh seq (its copy finished without storing): a new one, and the entry follows it.
    const again = slots.token();
    expect(await slots.reserve(chatId, PAIR, id, again, true)).toEqual({ kind: 'fresh', seq: 3 });
    expect(await slots.reserve(chatId, PAIR, id, slots.token())).toEqual({ kind: 'pending', seq: 3 });
  });

  it('an original whose mark is older than the stale age counts as ended', async () => {
    const slots = processSlots();
    const id = msg(1);
    const token = slots.token();
    await slots.reserve(chatId, PAIR, id, token);
    const key = `${prefix}:chat:${chatId}:inflight`;
    await clients[0].zadd(key, Date.now() - INFLIGHT_STALE_MS - 1000, token);
    expect(await slots.reserve(chatId, PAIR, id, slots.token())).toEqual({ kind: 'settled', seq: 1 });
  });

  it('a counter Redis lost is re-seeded from max(chat.lastSeq, highest stored seq), and a lost summary is written again', async () => {
    const slots = processSlots();
    await slots.reserve(chatId, PAIR, msg(0), slots.token());
    await clients[0].del(`${prefix}:chat:${chatId}:seq`);
    db = { chat: { lastSeq: 4 }, newestSeq: 6 }; // the summary lagged: messages 5 and 6 are stored
    expect((await slots.reserve(chatId, PAIR, msg(1), slots.token())).seq).toBe(7);
    expect(repaired).toEqual([6]);
    expect(upserts).toBe(1); // the first message's only: the chat exists now
    db = { chat: { lastSeq: 9 }, newestSeq: 8 };
    await clients[0].del(`${prefix}:chat:${chatId}:seq`);
    expect((await slots.reserve(chatId, PAIR, msg(2), slots.token())).seq).toBe(10);
  });

  it('two processes seeding at once agree: distinct consecutive seqs, and a seed never lowers the counter', async () => {
    const [a, b] = [processSlots(), processSlots()];
    db = { chat: { lastSeq: 10 }, newestSeq: 10 };
    const seqs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserve(chatId, PAIR, msg(i), randomBytes(8).toString('hex'))),
    );
    expect(seqs.map((s) => s.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => 11 + i));
    // A process that read an older database state raises nothing.
    db = { chat: { lastSeq: 3 }, newestSeq: 3 };
    expect(await a.seed(chatId, PAIR)).toBe(30);
    // One that saw further (a seq stored from before Redis came back) moves it up.
    db = { chat: { lastSeq: 3 }, newestSeq: 42 };
    expect(await b.seed(chatId, PAIR)).toBe(42);
    expect((await a.reserve(chatId, PAIR, msg(99), a.token())).seq).toBe(43);
  });

  it('chat:sync reads the counters: lastSeq raised to them, a missing one seeded', async () => {
    const slots = processSlots();
    const fresh = new Types.ObjectId().toHexString();
    await slots.reserve(chatId, PAIR, msg(0), slots.token());
    await slots.reserve(chatId, PAIR, msg(1), slots.token());
    const chat = (id: string, lastSeq: number) =>
      ({ _id: new Types.ObjectId(id), participants: PAIR.map((p) => new Types.ObjectId(p)), lastSeq }) as ChatRecord;
    db = { chat: { lastSeq: 1 }, newestSeq: 5 }; // the other chat: summary lost with a killed process
    const latest = await slots.latest([chat(chatId, 1), chat(fresh, 1)]);
    expect(latest.map((c) => c.lastSeq)).toEqual([2, 5]);
    expect(await clients[0].get(`${prefix}:chat:${fresh}:seq`)).toBe('5');
  });
});
