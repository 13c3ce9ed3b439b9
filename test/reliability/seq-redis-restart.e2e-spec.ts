import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, emitWithAck, socketPool, startApiProcess, startTestApi, type TestApi } from '@test/support';
import { auth, cmid, connectedPair, type Json, type Pair } from '../chat/chat-fixtures.js';
import { type OwnServer, startOwnRedis } from './own-services.js';
import { scenario } from './summary.js';

// Kept small for CI on 2 cores: 4 pairs, both sides sending, each side on a different api process.
const PAIRS = 4;
const OUTAGE_MS = 2000;
const COMMAND_TIMEOUT_MS = 1000;
/** Acks each sender collects before Redis is stopped, and again after it is back (empty). */
const ACKS_PER_PHASE = 6;

interface Sender {
  chatId: string;
  socket: Socket;
  /** clientMessageId -> the acked seq. */
  acked: Map<string, number>;
  /** Every clientMessageId sent (an unacked one is retried with the same id, as the app does). */
  sent: Set<string>;
  /** Error codes of refused sends. */
  refusals: string[];
}

/** Every message of the chat, oldest first, paging forward the way a client catches up. */
async function storedMessages(api: TestApi, pair: Pair): Promise<Json[]> {
  const all: Json[] = [];
  let after = 0;
  for (;;) {
    const res = await request(api.url).get(`/chats/${pair.chatId}/messages`).query({ after, limit: 100 }).set(auth(pair.a));
    expect(res.status).toBe(200);
    all.push(...res.body.items);
    if (!res.body.hasMore) return all;
    if (res.body.items.length > 0) after = res.body.items.at(-1).seq;
    else await new Promise((r) => setTimeout(r, 500)); // a stale in-flight mark is ageing out
  }
}

/**
 * Issue 16's "a test kills Redis mid-load and shows no duplicate seq": concurrent sends into the same
 * chats from two api processes; Redis (the seq counters, dedupe entries and in-flight marks) is stopped
 * mid-load and started empty, so every counter is re-seeded from the database while sends go on.
 */
describe('seq counters when Redis is stopped mid-load and started empty', () => {
  let redis: OwnServer;
  let api: TestApi;
  let other: ApiProcess;
  const sockets = socketPool();

  beforeAll(async () => {
    redis = await startOwnRedis();
    api = await startTestApi({
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      SOCKET_RATE_LIMIT_EVENTS: '1000',
    });
    other = await startApiProcess(api.env);
  });
  afterAll(async () => {
    sockets.closeAll();
    await other?.stop('SIGKILL');
    try {
      await api?.close();
    } finally {
      await redis?.close();
    }
  });

  it('never stores two messages under one seq, loses nothing acked, and refuses sends during the outage clearly', () =>
    scenario('Redis stopped mid-load, started empty', async (counts) => {
      const pairs = await Promise.all(Array.from({ length: PAIRS }, () => connectedPair(api)));
      const senders: Sender[] = [];
      for (const pair of pairs) {
        for (const [user, url] of [
          [pair.a, api.url],
          [pair.b, other.url],
        ] as const) {
          senders.push({
            chatId: pair.chatId,
            socket: await sockets.connect(url, user.accessToken),
            acked: new Map(),
            sent: new Set(),
            refusals: [],
          });
        }
      }

      let stop = false;
      /** Sends until told to stop; an unacked send is retried with its clientMessageId. */
      const run = async (s: Sender): Promise<void> => {
        let id = cmid('load');
        while (!stop) {
          s.sent.add(id);
          const ack = await emitWithAck<Json>(s.socket, 'chat:send', { chatId: s.chatId, clientMessageId: id, text: id }, 5000).catch(
            () => ({ ok: false as const, error: { code: 'no_ack', message: 'no ack within 5 s' } }),
          );
          if (ack.ok) {
            s.acked.set(id, (ack.data as { seq: number }).seq);
            id = cmid('load');
          } else {
            s.refusals.push(ack.error.code);
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      };
      const until = async (done: () => boolean): Promise<void> => {
        while (!done()) await new Promise((r) => setTimeout(r, 50));
      };
      const load = Promise.all(senders.map(run));

      await until(() => senders.every((s) => s.acked.size >= ACKS_PER_PHASE));
      await redis.stop();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      await redis.start(); // empty: no counters, no dedupe entries, no in-flight marks
      const before = senders.map((s) => s.acked.size);
      await until(() => senders.every((s, i) => s.acked.size >= before[i] + ACKS_PER_PHASE));
      stop = true;
      await load;

      let duplicated = 0;
      let lost = 0;
      for (const pair of pairs) {
        const stored = await storedMessages(api, pair);
        const seqs = stored.map((m) => m.seq as number);
        // Distinct, strictly increasing in storage order: no seq was handed out twice.
        expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
        duplicated += seqs.length - new Set(seqs).size;
        const byCmid = new Map(stored.map((m) => [m.clientMessageId as string, m.seq as number]));
        // Each clientMessageId stored once, and only ids that were sent.
        expect(byCmid.size).toBe(stored.length);
        const mine = senders.filter((s) => s.chatId === pair.chatId);
        for (const id of byCmid.keys()) expect(mine.some((s) => s.sent.has(id))).toBe(true);
        // Everything acked is stored, under the seq its ack named; and what one sender sent later shows
        // later (each send waits for the previous ack, so a counter re-seeded too low would break this).
        for (const s of mine) {
          const order = [...s.acked.values()];
          expect(order).toEqual([...order].sort((x, y) => x - y));
          for (const [id, seq] of s.acked) {
            if (byCmid.get(id) !== seq) lost++;
            expect(byCmid.get(id)).toBe(seq);
          }
        }
      }
      // Refusals while Redis was away are the clear, retryable kind (or the ack did not come in time).
      const refusals = senders.flatMap((s) => s.refusals);
      expect(refusals.filter((code) => !['redis_unavailable', 'no_ack'].includes(code))).toEqual([]);

      counts.sent = senders.reduce((n, s) => n + s.sent.size, 0);
      counts.acked = senders.reduce((n, s) => n + s.acked.size, 0);
      counts.lost = lost;
      counts.duplicated = duplicated;
      counts.note = `${refusals.length} refused during the outage (${[...new Set(refusals)].join(', ') || 'none'})`;
    }));
});
