import { Types } from 'mongoose';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  connectUsers,
  emitWithAck,
  noEvent,
  signUp,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';
import { auth, cmid, type Json, connectedPair, sendRest, type Pair } from './chat-fixtures.js';

/**
 * Who may do what in a chat, on REST and on sockets held by a second api process: a stranger gets 404
 * (the chat id is not confirmed), a participant who is blocked or blocking gets 403 `not_connected`.
 */
describe('chat access: strangers and blocked users', () => {
  let api: TestApi;
  let other: ApiProcess;
  let otherUrl: string;
  const sockets = socketPool();
  const open = (user: { accessToken: string }): Promise<Socket> => sockets.connect(otherUrl, user.accessToken);

  beforeAll(async () => {
    api = await startTestApi();
    other = await startApiProcess(api.env);
    otherUrl = other.url;
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await api?.close();
  });

  /** Every chat route and event, for `user` on the chat of `pair`, with the code each answered. */
  async function tryEverything(pair: Pair, user: { accessToken: string; userId: string }, messageId: string) {
    const { chatId } = pair;
    const http = request(api.url);
    const rest = {
      read: await http.get(`/chats/${chatId}/messages`).set(auth(user)),
      chat: await http.get(`/chats/${chatId}`).set(auth(user)),
      send: await http.post(`/chats/${chatId}/messages`).set(auth(user)).send({ clientMessageId: cmid(), text: 'let me in' }),
      react: await http.put(`/chats/${chatId}/messages/${messageId}/reaction`).set(auth(user)).send({ emoji: '👍' }),
      unreact: await http.delete(`/chats/${chatId}/messages/${messageId}/reaction`).set(auth(user)),
      edit: await http.patch(`/chats/${chatId}/messages/${messageId}`).set(auth(user)).send({ text: 'edited' }),
      delete: await http.delete(`/chats/${chatId}/messages/${messageId}?for=everyone`).set(auth(user)),
      deleteForMe: await http.delete(`/chats/${chatId}/messages/${messageId}?for=me`).set(auth(user)),
      seen: await http.post(`/chats/${chatId}/seen`).set(auth(user)).send({ upToSeq: 1 }),
      delivered: await http.post(`/chats/${chatId}/delivered`).set(auth(user)).send({ upToSeq: 1 }),
    };
    const socket = await open(user);
    const events = {
      send: await emitWithAck<Json>(socket, 'chat:send', { chatId, clientMessageId: cmid(), text: 'let me in' }),
      history: await emitWithAck<Json>(socket, 'chat:history', { chatId }),
      seen: await emitWithAck<Json>(socket, 'message:seen', { chatId, upToSeq: 1 }),
      delivered: await emitWithAck<Json>(socket, 'message:delivered', { chatId, upToSeq: 1 }),
      typing: await emitWithAck<Json>(socket, 'chat:typing', { chatId, typing: true }),
      sync: await emitWithAck<Json>(socket, 'chat:sync', { cursors: { [chatId]: 0 } }),
    };
    return {
      rest: Object.fromEntries(Object.entries(rest).map(([k, r]) => [k, `${r.status} ${r.body.code}`])),
      events: Object.fromEntries(Object.entries(events).map(([k, a]) => [k, a.ok ? a.data : a.error.code])),
    };
  }

  it('a stranger gets 404 on every route and chat_not_found on every event, and sync shows nothing', async () => {
    const pair = await connectedPair(api);
    const m = await sendRest(api, pair.a, pair.chatId, 'private');
    const stranger = await signUp(api);
    const outcome = await tryEverything(pair, stranger, m.id);
    const notFound = '404 chat_not_found';
    expect(outcome.rest).toEqual({
      read: notFound,
      chat: notFound,
      send: notFound,
      react: notFound,
      unreact: notFound,
      edit: notFound,
      delete: notFound,
      deleteForMe: notFound,
      seen: notFound,
      delivered: notFound,
    });
    expect(outcome.events).toEqual({
      send: 'chat_not_found',
      history: 'chat_not_found',
      seen: 'chat_not_found',
      delivered: 'chat_not_found',
      typing: 'chat_not_found',
      sync: { chats: [] },
    });
    // Not even by peer id: the stranger is not a connection.
    const socket = await open(stranger);
    expect(await emitWithAck(socket, 'chat:send', { peerId: pair.a.userId, clientMessageId: cmid(), text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'not_connected' },
    });
    expect((await request(api.url).post('/chats').set(auth(stranger)).send({ peerId: pair.a.userId })).body.code).toBe('not_connected');
    // Nothing was stored or changed.
    const page = await request(api.url).get(`/chats/${pair.chatId}/messages`).set(auth(pair.a));
    expect(page.body.items.map((x: { id: string; text: string; reactions: object }) => [x.id, x.text, x.reactions])).toEqual([
      [m.id, 'private', {}],
    ]);
  });

  it('validates socket payloads before any query', async () => {
    const pair = await connectedPair(api);
    const socket = await open(pair.a);
    const code = async (event: string, payload: unknown) => {
      const ack = await emitWithAck<Json>(socket, event, payload);
      return ack.ok ? 'ok' : ack.error.code;
    };
    const send = { clientMessageId: cmid(), text: 'hi' };
    expect(await code('chat:send', { ...send, chatId: pair.chatId, peerId: pair.b.userId })).toBe('validation_failed');
    expect(await code('chat:send', send)).toBe('validation_failed');
    expect(await code('chat:send', { ...send, chatId: 'nope' })).toBe('validation_failed');
    expect(await code('chat:send', { ...send, chatId: { $ne: null } })).toBe('validation_failed');
    expect(await code('chat:send', { ...send, chatId: pair.chatId, text: ' \n ' })).toBe('validation_failed');
    expect(await code('chat:sync', { cursors: { 'not-an-id': 1 } })).toBe('validation_failed');
    expect(await code('chat:sync', { cursors: { [pair.chatId]: -1 } })).toBe('validation_failed');
    expect(await code('message:seen', { chatId: pair.chatId, upToSeq: 1.5 })).toBe('validation_failed');
    expect(await code('chat:history', { chatId: pair.chatId, limit: 101 })).toBe('validation_failed');
    expect(await code('chat:typing', { chatId: pair.chatId, typing: 'yes' })).toBe('validation_failed');
    expect(await code('chat:send', { ...send, chatId: pair.chatId })).toBe('ok');
  });

  /** The outcome of tryEverything for a participant who may read the history but not write. */
  async function expectReadOnly(pair: Pair, user: { accessToken: string; userId: string }, m: { id: string; text: string | null }) {
    const outcome = await tryEverything(pair, user, m.id);
    const forbidden = '403 not_connected';
    expect(outcome.rest).toEqual({
      read: '200 undefined',
      chat: '200 undefined',
      send: forbidden,
      react: forbidden,
      unreact: forbidden,
      edit: forbidden,
      delete: forbidden,
      deleteForMe: forbidden,
      seen: forbidden,
      delivered: forbidden,
    });
    const { history, sync, ...writes } = outcome.events;
    expect(writes).toEqual({ send: 'not_connected', seen: 'not_connected', delivered: 'not_connected', typing: 'not_connected' });
    // The history they already had: over REST, chat:history and chat:sync (from scratch, e.g. a new phone).
    expect(history.items.map((x: Json) => [x.id, x.text])).toEqual([[m.id, m.text]]);
    expect(sync.chats.map((c: Json) => [c.chatId, c.messages.map((x: Json) => x.id)])).toEqual([[pair.chatId, [m.id]]]);
    const http = request(api.url);
    const page = await http.get(`/chats/${pair.chatId}/messages`).set(auth(user));
    expect(page.body.items.map((x: Json) => [x.id, x.text])).toEqual([[m.id, m.text]]);
    const chat = await http.get(`/chats/${pair.chatId}`).set(auth(user));
    expect(chat.body).toMatchObject({ id: pair.chatId, lastSeq: 1, lastMessage: { id: m.id }, canSend: false });
    // Still in the list, marked as not sendable.
    const list = await http.get('/chats').set(auth(user));
    expect(list.body.items.map((c: Json) => [c.id, c.canSend])).toEqual([[pair.chatId, false]]);
  }

  it('after a block, both sides keep reading their history; neither can send, react, edit, delete, mark or type; the other side hears nothing', async () => {
    const pair = await connectedPair(api);
    const m = await sendRest(api, pair.a, pair.chatId, 'before the block');
    expect((await request(api.url).get(`/chats/${pair.chatId}`).set(auth(pair.a))).body.canSend).toBe(true);
    const blocked = await request(api.url).post(`/blocks/${pair.a.userId}`).set(auth(pair.b));
    expect(blocked.status).toBe(201);
    const bSocket = await open(pair.b);
    const bHearsNothing = noEvent(bSocket, 'chat:receive', 1500);
    for (const user of [pair.a, pair.b]) await expectReadOnly(pair, user, m);
    expect(await bHearsNothing).toBe(true);
    expect(await api.connection.collection('messages').countDocuments({ text: 'let me in' })).toBe(0);
    const stored = await api.connection.collection('messages').findOne({ _id: new Types.ObjectId(m.id) });
    expect(stored).toMatchObject({ text: 'before the block', reactions: {}, deletedForEveryone: false, hiddenFor: {} });
    // Unblocking and connecting again makes the same chat writable again, history included.
    expect((await request(api.url).delete(`/blocks/${pair.a.userId}`).set(auth(pair.b))).status).toBe(204);
    await connectUsers(api, pair.a, pair.b);
    expect((await request(api.url).get(`/chats/${pair.chatId}`).set(auth(pair.a))).body.canSend).toBe(true);
    expect((await sendRest(api, pair.b, pair.chatId, 'hello again')).seq).toBe(2);
  });

  it('after a removed connection, both sides keep reading their history and cannot write', async () => {
    const pair = await connectedPair(api);
    const m = await sendRest(api, pair.b, pair.chatId, 'before the goodbye');
    const removed = await request(api.url).delete(`/connections/${pair.b.userId}`).set(auth(pair.a));
    expect(removed.status).toBe(204);
    for (const user of [pair.a, pair.b]) await expectReadOnly(pair, user, m);
  });
});
