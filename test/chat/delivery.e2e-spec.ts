import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  emitWithAck,
  nextEvent,
  noEvent,
  signUp,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';
import { auth, cmid, type Json, collect, connectedPair, sendRest } from './chat-fixtures.js';

/**
 * The delivery contract (ARCHITECTURE.md) across two api processes sharing one database and Redis:
 * this test's in-process api and a compiled one (`nest build` first) on another port.
 * The sender is on one process, the recipient on the other.
 */
describe('chat delivery contract across two api processes', () => {
  let api: TestApi;
  let other: ApiProcess;
  let otherUrl: string;
  const sockets = socketPool();
  const open = (url: string, user: { accessToken: string }): Promise<Socket> => sockets.connect(url, user.accessToken);
  const env = { CHAT_TYPING_TIMEOUT_MS: '1500', SOCKET_RATE_LIMIT_EVENTS: '1000' };

  beforeAll(async () => {
    api = await startTestApi(env);
    other = await startApiProcess(api.env);
    otherUrl = other.url;
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await api?.close();
  });

  it('a socket send retried with the same clientMessageId is stored once and acked with the same id and seq', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const sa = await open(api.url, a);
    const sb = await open(otherUrl, b);
    const received = nextEvent<Json>(sb, 'chat:receive');
    const sent = nextEvent<Json>(sa, 'chat:sent');
    const payload = { chatId, clientMessageId: cmid('sock'), text: 'over the socket' };
    const first = await emitWithAck<Json>(sa, 'chat:send', payload);
    expect(first).toMatchObject({ ok: true, data: { chatId, seq: 1, text: 'over the socket', senderId: a.userId } });
    expect(await received).toEqual(first.ok && first.data);
    expect(await sent).toEqual(first.ok && first.data);
    // The retry (e.g. the ack was lost) goes to the other process: same message.
    const sa2 = await open(otherUrl, a);
    const retry = await emitWithAck<Json>(sa2, 'chat:send', payload);
    expect(retry).toEqual(first);
    // And over REST with the same clientMessageId: the original, 200.
    const rest = await request(api.url)
      .post(`/chats/${chatId}/messages`)
      .set(auth(a))
      .send({ clientMessageId: payload.clientMessageId, text: 'x' });
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ id: first.ok && first.data.id, seq: 1 });
    expect(await api.connection.collection('messages').countDocuments({ clientMessageId: payload.clientMessageId })).toBe(1);
  });

  it("chat:send by peerId creates the chat; chat:receive reaches the recipient and the sender's other device, not the sending one", async () => {
    const a = await signUp(api);
    const aLaptop = await signUp(api, { identifier: a.identifier, deviceName: 'laptop' });
    const b = await signUp(api);
    const { connectUsers } = await import('@test/support');
    await connectUsers(api, a, b);
    const phone = await open(api.url, a);
    const laptop = await open(otherUrl, aLaptop);
    const sb = await open(otherUrl, b);
    const toB = nextEvent<Json>(sb, 'chat:receive');
    const toLaptop = nextEvent<Json>(laptop, 'chat:receive');
    const sentToLaptop = nextEvent<Json>(laptop, 'chat:sent');
    const phoneGetsNoEcho = noEvent(phone, 'chat:receive', 1500);
    const ack = await emitWithAck<Json>(phone, 'chat:send', { peerId: b.userId, clientMessageId: cmid(), text: 'first words' });
    expect(ack.ok).toBe(true);
    const message = ack.ok ? ack.data : null;
    expect(message).toMatchObject({ seq: 1, text: 'first words' });
    expect(await toB).toEqual(message);
    expect(await toLaptop).toEqual(message);
    expect(await sentToLaptop).toEqual(message);
    // The sending socket has the ack; it is not sent the same message again as chat:receive.
    expect(await phoneGetsNoEcho).toBe(true);
    const list = await request(api.url).get('/chats').set(auth(b));
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: message.chatId, unreadCount: 1, lastMessage: { id: message.id } });
    // a's list shows b (connected on the other process) with public profile and presence.
    const peerOf = async () => (await request(api.url).get('/chats').set(auth(a))).body.items[0]?.peer;
    await expect.poll(async () => (await peerOf())?.presence?.online, { timeout: 5000 }).toBe(true);
    expect(await peerOf()).toMatchObject({ id: b.userId, profile: { userId: b.userId } });
  });

  it('200 concurrent sends in one chat, on both processes, get 200 distinct gap-free seqs', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const sends = Array.from({ length: 200 }, (_, i) => {
      const url = i % 2 === 0 ? api.url : otherUrl;
      const from = i % 4 < 2 ? a : b;
      return request(url)
        .post(`/chats/${chatId}/messages`)
        .set(auth(from))
        .send({ clientMessageId: cmid('c'), text: `n${i}` });
    });
    const results = await Promise.all(sends);
    expect(results.filter((r) => r.status !== 201).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    const seqs = results.map((r) => r.body.seq as number).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const stored = await api.connection
      .collection('messages')
      .find({}, { projection: { seq: 1, chatId: 1 } })
      .toArray();
    const inChat = stored.filter((m) => m.chatId.toHexString() === chatId).map((m) => m.seq as number);
    expect(inChat.sort((x, y) => x - y)).toEqual(seqs);
    const chat = await request(api.url).get(`/chats/${chatId}`).set(auth(a));
    expect(chat.body).toMatchObject({ lastSeq: 200, lastMessage: { seq: 200 } });
  });

  it('messages sent while the recipient is offline arrive in order through chat:sync after reconnect', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const second = await connectedPair(api); // b is not in this one: it must not show up in b's sync
    const sb = await open(otherUrl, b);
    await sendRest(api, a, chatId, 'seen live');
    const held = { [chatId]: 1 };
    sb.close(); // b goes offline holding seq 1
    const sa = await open(api.url, a);
    for (let i = 2; i <= 6; i++) {
      const ack = await emitWithAck<Json>(sa, 'chat:send', { chatId, clientMessageId: cmid(), text: `offline ${i}` });
      expect(ack.ok).toBe(true);
    }
    await sendRest(api, second.a, second.chatId, 'not for b');
    const back = await open(otherUrl, b);
    const sync = await emitWithAck<Json>(back, 'chat:sync', { cursors: held });
    expect(sync.ok).toBe(true);
    const chats = sync.ok ? sync.data.chats : [];
    expect(chats).toHaveLength(1);
    expect(chats[0].chatId).toBe(chatId);
    expect(chats[0].hasMore).toBe(false);
    expect(chats[0].messages.map((m: Json) => [m.seq, m.text])).toEqual([2, 3, 4, 5, 6].map((s) => [s, `offline ${s}`]));
    // A missing cursor means 0; a limit pages the catch-up.
    const fromZero = await emitWithAck<Json>(back, 'chat:sync', { limit: 4 });
    expect(fromZero.ok && fromZero.data.chats[0].messages.map((m: Json) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(fromZero.ok && fromZero.data.chats[0].hasMore).toBe(true);
    const upToDate = await emitWithAck<Json>(back, 'chat:sync', { cursors: { [chatId]: 6 } });
    expect(upToDate).toEqual({ ok: true, data: { chats: [] } });
    // chat:history pages backwards over the socket.
    const history = await emitWithAck<Json>(back, 'chat:history', { chatId, beforeSeq: 4, limit: 2 });
    expect(history.ok && history.data.items.map((m: Json) => m.seq)).toEqual([2, 3]);
  });

  it('delivered and seen markers reach the sender, only move forward, and show in the chat', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const sa = await open(api.url, a);
    const sb = await open(otherUrl, b);
    for (let i = 0; i < 3; i++) await sendRest(api, a, chatId, `m${i}`);
    const delivered = nextEvent<Json>(sa, 'message:delivered');
    expect(await emitWithAck(sb, 'message:delivered', { chatId, upToSeq: 3 })).toEqual({
      ok: true,
      data: { chatId, userId: b.userId, upToSeq: 3 },
    });
    expect(await delivered).toEqual({ chatId, userId: b.userId, upToSeq: 3 });
    const seen = nextEvent<Json>(sa, 'message:seen');
    expect(await emitWithAck(sb, 'message:seen', { chatId, upToSeq: 2 })).toMatchObject({ ok: true, data: { upToSeq: 2 } });
    expect(await seen).toEqual({ chatId, userId: b.userId, upToSeq: 2 });
    // Backwards: no event, marker unchanged.
    const none = noEvent(sa, 'message:seen', 600);
    expect(await emitWithAck(sb, 'message:seen', { chatId, upToSeq: 1 })).toMatchObject({ ok: true, data: { upToSeq: 2 } });
    expect(await none).toBe(true);
    const chat = await request(api.url).get(`/chats/${chatId}`).set(auth(a));
    expect(chat.body.markers).toEqual({ mine: { delivered: 0, seen: 0 }, peer: { delivered: 3, seen: 2 } });
    expect(chat.body.unreadCount).toBe(0);
    // REST markers relay too.
    const restSeen = nextEvent<Json>(sa, 'message:seen');
    await request(otherUrl).post(`/chats/${chatId}/seen`).set(auth(b)).send({ upToSeq: 3 });
    expect(await restSeen).toEqual({ chatId, userId: b.userId, upToSeq: 3 });
  });

  it('edits, deletes and reactions reach the other side as message:updated', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const sb = await open(otherUrl, b);
    const m = await sendRest(api, a, chatId, 'draft');
    const updates = collect<Json>(sb, 'message:updated');
    await request(api.url).patch(`/chats/${chatId}/messages/${m.id}`).set(auth(a)).send({ text: 'final' });
    await request(api.url).put(`/chats/${chatId}/messages/${m.id}/reaction`).set(auth(a)).send({ emoji: '🔥' });
    await request(api.url).delete(`/chats/${chatId}/messages/${m.id}?for=everyone`).set(auth(a));
    await expect.poll(() => updates.length, { timeout: 5000 }).toBe(3);
    expect(updates.map((u) => [u.kind, u.chatId, u.message.id])).toEqual([
      ['edited', chatId, m.id],
      ['reaction', chatId, m.id],
      ['deleted', chatId, m.id],
    ]);
    expect(updates[0].message).toMatchObject({ text: 'final', seq: m.seq });
    expect(updates[1].message.reactions).toEqual({ [a.userId]: '🔥' });
    expect(updates[2].message).toMatchObject({ deleted: true, text: null, reactions: {} });
    // Delete for me goes to my own devices only.
    const m2 = await sendRest(api, a, chatId, 'hide me');
    const sa = await open(otherUrl, a);
    const hidden = nextEvent<Json>(sa, 'message:updated');
    const notToB = noEvent(sb, 'message:updated', 800);
    await request(api.url).delete(`/chats/${chatId}/messages/${m2.id}?for=me`).set(auth(a));
    expect(await hidden).toMatchObject({ kind: 'hidden', message: { id: m2.id } });
    expect(await notToB).toBe(true);
  });

  it('typing is relayed to the other participant only, and stops by itself without renewal', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const stranger = await signUp(api);
    const sa = await open(api.url, a);
    const sb = await open(otherUrl, b);
    const sx = await open(otherUrl, stranger);
    const started = nextEvent<Json>(sb, 'chat:typing');
    const strangerHears = noEvent(sx, 'chat:typing', 2500);
    expect(await emitWithAck(sa, 'chat:typing', { chatId, typing: true })).toEqual({ ok: true, data: { chatId, typing: true } });
    expect(await started).toEqual({ chatId, userId: a.userId, typing: true });
    // No renewal: b is told it stopped after the timeout (1.5 s here).
    expect(await nextEvent<Json>(sb, 'chat:typing', 4000)).toEqual({ chatId, userId: a.userId, typing: false });
    expect(await strangerHears).toBe(true);
    // By peerId, and an explicit stop.
    const byPeer = nextEvent<Json>(sa, 'chat:typing');
    await emitWithAck(sb, 'chat:typing', { peerId: a.userId, typing: true });
    expect(await byPeer).toEqual({ chatId, userId: b.userId, typing: true });
    const stop = nextEvent<Json>(sa, 'chat:typing');
    await emitWithAck(sb, 'chat:typing', { chatId, typing: false });
    expect(await stop).toEqual({ chatId, userId: b.userId, typing: false });
    // The stranger cannot type into the chat.
    expect(await emitWithAck(sx, 'chat:typing', { chatId, typing: true })).toMatchObject({ ok: false, error: { code: 'chat_not_found' } });
  });
});
