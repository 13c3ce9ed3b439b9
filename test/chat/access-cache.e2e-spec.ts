import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, connectUsers, emitWithAck, socketPool, startApiProcess, startTestApi, type TestApi } from '@test/support';
import { Redis } from 'ioredis';
import { auth, cmid, connectedPair, type Json } from './chat-fixtures.js';

/**
 * The access check is answered from a per-process cache: a change made through one api process
 * (block, unblock, new or removed connection, deleted account) must reach the answers of another
 * process that already cached the pair, long before the cache's TTL (30 s by default; the polls here
 * give up after 5 s, so passing shows the cross-process invalidation, not the TTL).
 */
describe('chat access cache across api processes', () => {
  let api: TestApi;
  let other: ApiProcess;
  const sockets = socketPool();
  const onOther = (user: { accessToken: string }): Promise<Socket> => sockets.connect(other.url, user.accessToken);
  const POLL = { timeout: 5000, interval: 50 };

  beforeAll(async () => {
    api = await startTestApi();
    other = await startApiProcess(api.env);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await api?.close();
  });

  /** `ok`, or the error code a send through `socket` is answered with. */
  async function sendCode(socket: Socket, target: { chatId: string } | { peerId: string }): Promise<string> {
    const ack = await emitWithAck<Json>(socket, 'chat:send', { ...target, clientMessageId: cmid(), text: 'hello?' });
    return ack.ok ? 'ok' : ack.error.code;
  }

  it('a block through one process stops sends through the other; unblock and reconnect allow them again', async () => {
    const pair = await connectedPair(api);
    const [sa, sb] = await Promise.all([onOther(pair.a), onOther(pair.b)]);
    // Both sides chat through the other process: it has the pair's answer cached.
    expect(await sendCode(sa, { chatId: pair.chatId })).toBe('ok');
    expect(await sendCode(sb, { chatId: pair.chatId })).toBe('ok');
    expect(await emitWithAck(sb, 'chat:typing', { chatId: pair.chatId, typing: true })).toMatchObject({ ok: true });

    expect((await request(api.url).post(`/blocks/${pair.a.userId}`).set(auth(pair.b))).status).toBe(201);
    await expect.poll(() => sendCode(sa, { chatId: pair.chatId }), POLL).toBe('not_connected');
    expect(await sendCode(sb, { chatId: pair.chatId })).toBe('not_connected');
    expect(await sendCode(sa, { peerId: pair.b.userId })).toBe('not_connected');
    expect(await emitWithAck<Json>(sb, 'message:seen', { chatId: pair.chatId, upToSeq: 1 })).toMatchObject({
      ok: false,
      error: { code: 'not_connected' },
    });

    // Unblocked but not connected: still refused; connected again: allowed again, on the other process too.
    expect((await request(api.url).delete(`/blocks/${pair.a.userId}`).set(auth(pair.b))).status).toBe(204);
    expect(await sendCode(sa, { chatId: pair.chatId })).toBe('not_connected');
    await connectUsers(api, pair.a, pair.b);
    await expect.poll(() => sendCode(sa, { chatId: pair.chatId }), POLL).toBe('ok');
    expect(await sendCode(sb, { peerId: pair.a.userId })).toBe('ok');
  });

  it('a connection removed through one process stops sends through the other', async () => {
    const pair = await connectedPair(api);
    const sa = await onOther(pair.a);
    expect(await sendCode(sa, { chatId: pair.chatId })).toBe('ok');
    expect((await request(api.url).delete(`/connections/${pair.a.userId}`).set(auth(pair.b))).status).toBe(204);
    await expect.poll(() => sendCode(sa, { chatId: pair.chatId }), POLL).toBe('not_connected');
  });

  it('a deleted account stops sends to it through the other process', async () => {
    const pair = await connectedPair(api);
    const sa = await onOther(pair.a);
    expect(await sendCode(sa, { peerId: pair.b.userId })).toBe('ok');
    expect((await request(api.url).delete('/users/me').set(auth(pair.b))).status).toBe(204);
    await expect.poll(() => sendCode(sa, { peerId: pair.b.userId }), POLL).toBe('not_connected');
  });

  it('a change whose message was lost is picked up when the subscription reconnects (the cache starts empty again)', async () => {
    const pair = await connectedPair(api);
    const sa = await onOther(pair.a);
    expect(await sendCode(sa, { chatId: pair.chatId })).toBe('ok');
    // The connection disappears without any invalidation (what a lost pub/sub message amounts to):
    // the other process still answers from its cache.
    const ids = [`${pair.a.userId}:${pair.b.userId}`, `${pair.b.userId}:${pair.a.userId}`];
    await api.connection.collection<{ _id: string }>('connections').deleteMany({ _id: { $in: ids } });
    expect(await sendCode(sa, { chatId: pair.chatId })).toBe('ok');
    // Drop this suite's invalidation subscribers (both processes); ioredis reconnects them.
    const admin = new Redis(api.env.REDIS_URL);
    try {
      const clients = (await admin.client('LIST')) as string;
      const subscribers = clients.split('\n').filter((line) => line.includes(`name=${api.env.REDIS_PREFIX}:contacts-sub `));
      expect(subscribers.length).toBeGreaterThanOrEqual(2);
      for (const line of subscribers) await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(line)![1]);
    } finally {
      admin.disconnect();
    }
    await expect.poll(() => sendCode(sa, { chatId: pair.chatId }), POLL).toBe('not_connected');
  });
});
