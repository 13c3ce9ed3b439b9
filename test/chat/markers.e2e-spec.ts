import { Types } from 'mongoose';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, emitWithAck, nextEvent, socketPool, startApiProcess, startTestApi, type TestApi } from '@test/support';
import { RedisFactory } from '../../src/core/redis/index.js';
import { REDIS, type Redis } from '../../src/core/redis/redis.module.js';
import { MarkerStore } from '../../src/modules/chat/marker-store.js';
import { auth, collect, connectedPair, type Json, sendRest, unreadOf } from './chat-fixtures.js';

/**
 * Delivered/seen markers move in Redis and tell both sides at once; the database write is coalesced
 * (CHAT_MARKER_FLUSH_MS) and the receipt's ack waits for it. A process killed inside that window
 * loses the write but not the marker: the client re-sends its latest markers and they are stored.
 */
describe('coalesced delivered/seen markers', () => {
  let api: TestApi;
  const sockets = socketPool();
  const started: ApiProcess[] = [];
  /** A second api process whose marker writes wait a whole second: wide enough to kill it inside. */
  const slowProcess = async (): Promise<ApiProcess> => {
    const p = await startApiProcess(api.env, { CHAT_MARKER_FLUSH_MS: '1000' });
    started.push(p);
    return p;
  };
  const open = (url: string, user: { accessToken: string }): Promise<Socket> => sockets.connect(url, user.accessToken);
  const storedSeen = async (chatId: string, userId: string): Promise<number | undefined> => {
    const chat = await api.connection.collection('chats').findOne({ _id: new Types.ObjectId(chatId) });
    return (chat?.seen as Record<string, number> | undefined)?.[userId];
  };

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop('SIGKILL')));
    await api?.close();
  });

  it('a burst of receipts: every ack answers a marker that never goes back, the peer hears it only move forward, and it is stored', async () => {
    const { a, b, chatId } = await connectedPair(api);
    for (let i = 1; i <= 12; i++) await sendRest(api, a, chatId, `m${i}`);
    const sa = await open(api.url, a);
    const sb = await open(api.url, b);
    const heard = collect<Json>(sa, 'message:seen');
    const acks = await Promise.all(Array.from({ length: 12 }, (_, i) => emitWithAck<Json>(sb, 'message:seen', { chatId, upToSeq: i + 1 })));
    expect(acks.every((x) => x.ok && x.data.upToSeq >= 1 && x.data.upToSeq <= 12)).toBe(true);
    await expect.poll(() => heard.at(-1)?.upToSeq, { timeout: 5000 }).toBe(12);
    const seqs = heard.map((e) => e.upToSeq as number);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    // Acked means stored: the list reads the database.
    expect(await unreadOf(api, b, chatId)).toBe(0);
    const chat = await request(api.url).get(`/chats/${chatId}`).set(auth(a));
    expect(chat.body.markers.peer).toEqual({ delivered: 12, seen: 12 });
  });

  it('a process killed before its marker write: the peer was told, the re-sent marker is stored through another process', async () => {
    const { a, b, chatId } = await connectedPair(api);
    for (let i = 1; i <= 3; i++) await sendRest(api, a, chatId, `m${i}`);
    const slow = await slowProcess();
    const sa = await open(api.url, a);
    const sb = await open(slow.url, b);
    const told = nextEvent<Json>(sa, 'message:seen');
    sb.emit('message:seen', { chatId, upToSeq: 3 }, () => undefined);
    expect(await told).toEqual({ chatId, userId: b.userId, upToSeq: 3 });
    await slow.stop('SIGKILL');
    // The write was lost with the process (what the peer was told is ahead of the database) ...
    expect(await storedSeen(chatId, b.userId)).toBeUndefined();
    expect(await unreadOf(api, b, chatId)).toBe(3);
    // ... until b's client, back on another process, re-sends its latest marker: it does not move
    // (Redis has it: no second event) but it is written.
    const back = await open(api.url, b);
    const again = collect<Json>(sa, 'message:seen');
    expect(await emitWithAck(back, 'message:seen', { chatId, upToSeq: 3 })).toEqual({
      ok: true,
      data: { chatId, userId: b.userId, upToSeq: 3 },
    });
    expect(await storedSeen(chatId, b.userId)).toBe(3);
    expect(await unreadOf(api, b, chatId)).toBe(0);
    expect(again).toEqual([]);
  });

  it('SIGTERM writes the markers still waiting for their flush', async () => {
    const { a, b, chatId } = await connectedPair(api);
    await sendRest(api, a, chatId, 'm1');
    const slow = await slowProcess();
    const sa = await open(api.url, a);
    const sb = await open(slow.url, b);
    const told = nextEvent<Json>(sa, 'message:seen');
    sb.emit('message:seen', { chatId, upToSeq: 1 }, () => undefined);
    await told;
    expect((await slow.stop('SIGTERM')).code).toBe(0);
    expect(await storedSeen(chatId, b.userId)).toBe(1);
  });

  it('the Redis script: seeds from the database once, clamps to the send path seq, never goes back, seen implies delivered', async () => {
    const store = api.app.get(MarkerStore);
    const redis = api.app.get<Redis>(REDIS);
    const keys = api.app.get(RedisFactory);
    const chatId = new Types.ObjectId().toHexString();
    const user = new Types.ObjectId().toHexString();
    let loads = 0;
    const load = () => (loads++, Promise.resolve({ lastSeq: 5, delivered: 2, seen: 1 }));
    // No send-path counter: the database's lastSeq clamps, and is read every time.
    expect(await store.advance(chatId, user, 'seen', 9, load)).toEqual({ previous: 1, next: 5, stored: 1 });
    expect(await store.advance(chatId, user, 'delivered', 3, load)).toEqual({ previous: 5, next: 5, stored: 2 });
    expect(loads).toBe(2);
    // With the counter the send path keeps in Redis: one round trip, no database read.
    await redis.set(keys.key('chat', chatId, 'seq'), '8');
    expect(await store.advance(chatId, user, 'seen', 99, load)).toEqual({ previous: 5, next: 8, stored: 1 });
    expect(await store.advance(chatId, user, 'seen', 4, load)).toEqual({ previous: 8, next: 8, stored: 1 });
    expect(loads).toBe(2);
    await store.noteStored([{ chatId, userId: user, delivered: 0, seen: 8 }]);
    expect(await store.advance(chatId, user, 'seen', 8, load)).toEqual({ previous: 8, next: 8, stored: 8 });
    expect(await store.advance(chatId, user, 'delivered', 8, load)).toEqual({ previous: 8, next: 8, stored: 8 });
    await redis.del(keys.key('chat', chatId, 'seq'), keys.key('chat', chatId, 'markers'));
  });
});
