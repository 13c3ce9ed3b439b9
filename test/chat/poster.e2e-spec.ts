import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatPoster, DomainEventBus, type DomainEvents } from '@app/common';
import { type ApiProcess, nextEvent, socketPool, startApiProcess, startTestApi, type TestApi } from '@test/support';
import { auth, collect, connectedPair, type Json, unreadOf } from './chat-fixtures.js';

/**
 * ChatPoster (how calls and status put messages into a 1-1 chat) on the delivery contract, with the
 * recipient's socket on a second api process: stored once per clientMessageId, a seq, delivered to
 * both participants' devices, counted as unread, `message.created` once.
 */
describe('ChatPoster', () => {
  let api: TestApi;
  let other: ApiProcess;
  let poster: ChatPoster;
  const created: Array<DomainEvents['message.created']> = [];
  const sockets = socketPool();
  const open = (url: string, user: { accessToken: string }): Promise<Socket> => sockets.connect(url, user.accessToken);

  beforeAll(async () => {
    api = await startTestApi();
    other = await startApiProcess(api.env);
    poster = api.app.get(ChatPoster);
    api.app.get(DomainEventBus).on('message.created', (e: DomainEvents['message.created']) => created.push(e));
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await api?.close();
  });

  it('posts a call message: delivered to both, unread for the callee, stored once on a retry, message.created once', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const sb = await open(other.url, b);
    const sa = await open(other.url, a);
    const toB = nextEvent<Json>(sb, 'chat:receive');
    const toA = nextEvent<Json>(sa, 'chat:receive');
    const sentToA = nextEvent<Json>(sa, 'chat:sent');
    const call = { callId: '6660a1b2c3d4e5f6a7b8c9d0', kind: 'video' as const, outcome: 'missed' as const, durationMs: 0 };
    const input = { clientMessageId: `call:${call.callId}`, type: 'call' as const, call };
    const first = await poster.post(a.userId, b.userId, input);
    expect(first).toEqual({ messageId: expect.any(String), chatId, seq: 1, created: true });
    const received = await toB;
    expect(received).toMatchObject({
      id: first.messageId,
      chatId,
      seq: 1,
      senderId: a.userId,
      type: 'call',
      text: null,
      call,
      statusRef: null,
    });
    expect(await toA).toEqual(received);
    expect(await sentToA).toEqual(received);
    // A retry (the calls module's job ran twice): the original, nothing stored twice, no second event.
    const retried = collect<Json>(sb, 'chat:receive');
    expect(await poster.post(a.userId, b.userId, input)).toEqual({ ...first, created: false });
    await expect.poll(() => retried.length, { timeout: 5000 }).toBe(1);
    expect(retried[0].id).toBe(first.messageId);
    expect(await api.connection.collection('messages').countDocuments({ clientMessageId: input.clientMessageId })).toBe(1);
    expect(created.filter((e) => e.messageId === first.messageId)).toEqual([
      {
        messageId: first.messageId,
        chatId,
        seq: 1,
        senderId: a.userId,
        recipientId: b.userId,
        type: 'call',
        text: null,
        createdAt: received.createdAt,
      },
    ]);
    // Like any message: unread for b, in the history and as the chat's last message.
    expect(await unreadOf(api, b, chatId)).toBe(1);
    const page = await request(api.url).get(`/chats/${chatId}/messages`).set(auth(b));
    expect(page.body.items).toEqual([received]);
    const chat = await request(api.url).get(`/chats/${chatId}`).set(auth(b));
    expect(chat.body.lastMessage).toEqual(received);
    // A user message after it takes the next seq.
    const next = await request(api.url)
      .post(`/chats/${chatId}/messages`)
      .set(auth(b))
      .send({ clientMessageId: 'after-call', text: 'sorry!' });
    expect(next.body.seq).toBe(2);
  });

  it('posts a status reply carrying its statusRef, shown as unavailable once the status expired', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const ref = (expiresAt: Date) => ({
      id: '6660a1b2c3d4e5f6a7b8c9d1',
      authorId: b.userId,
      kind: 'text' as const,
      text: 'Gone fishing',
      thumbnailMediaId: null,
      expiresAt: expiresAt.toISOString(),
    });
    const live = await poster.post(a.userId, b.userId, {
      clientMessageId: 'status-reply-1',
      type: 'text',
      text: ' Catch anything? ',
      statusRef: ref(new Date(Date.now() + 3_600_000)),
    });
    const expired = await poster.post(a.userId, b.userId, {
      clientMessageId: 'status-reply-2',
      type: 'text',
      text: '🐟',
      statusRef: ref(new Date(Date.now() - 1000)),
    });
    expect([live.seq, expired.seq]).toEqual([1, 2]);
    const page = await request(api.url).get(`/chats/${chatId}/messages`).set(auth(b));
    const quoted = { id: '6660a1b2c3d4e5f6a7b8c9d1', authorId: b.userId, kind: 'text', text: 'Gone fishing', thumbnailUrl: null };
    expect(page.body.items.map((m: Json) => [m.type, m.text, m.statusRef])).toEqual([
      ['text', 'Catch anything?', { ...quoted, available: true }],
      ['text', '🐟', { ...quoted, available: false }],
    ]);
  });

  it('refuses to post between people who are not connected, and stores nothing', async () => {
    const { a, b, chatId } = await connectedPair(api);
    expect((await request(api.url).post(`/blocks/${a.userId}`).set(auth(b))).status).toBe(201);
    const call = { callId: 'c-blocked', kind: 'audio' as const, outcome: 'missed' as const, durationMs: 0 };
    await expect(poster.post(a.userId, b.userId, { clientMessageId: 'call:blocked', type: 'call', call })).rejects.toMatchObject({
      response: { code: 'not_connected' },
    });
    expect(await api.connection.collection('messages').countDocuments({ clientMessageId: 'call:blocked' })).toBe(0);
    expect(created.some((e) => e.chatId === chatId)).toBe(false);
  });
});
