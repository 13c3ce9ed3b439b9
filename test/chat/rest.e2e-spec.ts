import { Types } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApi, type TestApi } from '@test/support';
import { auth, cmid, connectedPair, sendRest, unreadOf } from './chat-fixtures.js';

describe('chat REST', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('POST /chats is get-or-create: 201 then 200 with the same chat, from either side', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const again = await request(api.url).post('/chats').set(auth(b)).send({ peerId: a.userId });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: chatId,
      peer: { id: a.userId, profile: { userId: a.userId } },
      unreadCount: 0,
      lastSeq: 0,
      lastMessage: null,
    });
    expect(again.body).not.toHaveProperty('_id');
  });

  it('a send retried with the same clientMessageId is stored once: 201 then 200 with the same id and seq', async () => {
    const { a, chatId } = await connectedPair(api);
    const body = { clientMessageId: cmid(), text: '  hello  ' };
    const first = await request(api.url).post(`/chats/${chatId}/messages`).set(auth(a)).send(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ chatId, seq: 1, text: 'hello', senderId: a.userId, deleted: false, replyTo: null });
    const retry = await request(api.url).post(`/chats/${chatId}/messages`).set(auth(a)).send(body);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await api.connection.collection('messages').countDocuments({})).toBeGreaterThanOrEqual(1);
    expect(await api.connection.collection('messages').countDocuments({ clientMessageId: body.clientMessageId })).toBe(1);
    // The retry did not use up a seq: the next message is 2.
    expect((await sendRest(api, a, chatId, 'next')).seq).toBe(2);
  });

  it('validates text, ids and replies before any query', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const post = (body: object) => request(api.url).post(`/chats/${chatId}/messages`).set(auth(a)).send(body);
    expect((await post({ clientMessageId: cmid(), text: '   ' })).body.code).toBe('validation_failed');
    expect((await post({ clientMessageId: cmid(), text: 'x'.repeat(4097) })).status).toBe(400);
    expect((await post({ clientMessageId: cmid(), text: ` ${'x'.repeat(4096)} ` })).status).toBe(201);
    expect((await post({ clientMessageId: 'has space', text: 'hi' })).status).toBe(400);
    expect((await post({ clientMessageId: cmid(), text: 'hi', chatId: { $gt: '' } })).status).toBe(400);
    expect((await request(api.url).get('/chats/not-an-id/messages').set(auth(a))).body.code).toBe('invalid_id');
    // A reply must point into the same chat.
    const other = await connectedPair(api);
    const foreign = await sendRest(api, other.a, other.chatId, 'elsewhere');
    const badReply = await post({ clientMessageId: cmid(), text: 'reply', replyTo: foreign.id });
    expect(badReply.status).toBe(400);
    expect(badReply.body.code).toBe('invalid_reply');
    const original = await sendRest(api, b, chatId, 'question?');
    const reply = await post({ clientMessageId: cmid(), text: 'answer', replyTo: original.id });
    expect(reply.status).toBe(201);
    expect(reply.body.replyTo).toEqual({
      id: original.id,
      seq: original.seq,
      senderId: b.userId,
      type: 'text',
      text: 'question?',
      deleted: false,
    });
  });

  it('pages history by seq: newest page, before, after, limit <= 100', async () => {
    const { a, chatId } = await connectedPair(api);
    for (let i = 1; i <= 7; i++) await sendRest(api, a, chatId, `m${i}`);
    const get = (q: string) => request(api.url).get(`/chats/${chatId}/messages${q}`).set(auth(a));
    const newest = await get('?limit=3');
    expect(newest.body.items.map((m: { seq: number }) => m.seq)).toEqual([5, 6, 7]);
    expect(newest.body.hasMore).toBe(true);
    expect((await get('?before=5&limit=3')).body.items.map((m: { seq: number }) => m.seq)).toEqual([2, 3, 4]);
    const after = await get('?after=4&limit=2');
    expect(after.body.items.map((m: { seq: number }) => m.seq)).toEqual([5, 6]);
    expect(after.body.hasMore).toBe(true);
    expect((await get('?after=5')).body).toMatchObject({ hasMore: false });
    expect((await get('?limit=101')).status).toBe(400);
  });

  it('pages stay full past a run of messages deleted for me, both ways', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const sent = [];
    for (let i = 1; i <= 12; i++) sent.push(await sendRest(api, a, chatId, `m${i}`));
    // b deletes seqs 8..11 for themselves: more than a page's worth right below the newest message.
    for (const m of sent.slice(7, 11)) {
      expect((await request(api.url).delete(`/chats/${chatId}/messages/${m.id}?for=me`).set(auth(b))).status).toBe(204);
    }
    const seqs = async (q: string) => {
      const res = await request(api.url).get(`/chats/${chatId}/messages${q}`).set(auth(b));
      return { seqs: res.body.items.map((m: { seq: number }) => m.seq), hasMore: res.body.hasMore };
    };
    expect(await seqs('?limit=3')).toEqual({ seqs: [6, 7, 12], hasMore: true });
    expect(await seqs('?before=12&limit=3')).toEqual({ seqs: [5, 6, 7], hasMore: true });
    expect(await seqs('?after=6&limit=3')).toEqual({ seqs: [7, 12], hasMore: false });
    expect(await seqs('?after=0&limit=7')).toEqual({ seqs: [1, 2, 3, 4, 5, 6, 7], hasMore: true });
    // The sender still sees every message.
    const all = await request(api.url).get(`/chats/${chatId}/messages?limit=100`).set(auth(a));
    expect(all.body.items.map((m: { seq: number }) => m.seq)).toEqual(sent.map((m) => m.seq));
  });

  it('lists chats newest activity first, with the last message and cursor pagination', async () => {
    const me = await signUp(api);
    const chats: string[] = [];
    for (let i = 0; i < 3; i++) {
      const peer = await signUp(api);
      const { connectUsers } = await import('@test/support');
      await connectUsers(api, me, peer);
      const opened = await request(api.url).post('/chats').set(auth(me)).send({ peerId: peer.userId });
      chats.push(opened.body.id);
      await sendRest(api, peer, opened.body.id, `hi ${i}`);
    }
    // The oldest chat becomes the newest by a new message.
    await sendRest(api, me, chats[0], 'bump');
    const page1 = await request(api.url).get('/chats?limit=2').set(auth(me));
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((c: { id: string }) => c.id)).toEqual([chats[0], chats[2]]);
    expect(page1.body.items[0].lastMessage).toMatchObject({ text: 'bump', senderId: me.userId });
    expect(page1.body.items[1]).toMatchObject({ unreadCount: 1, lastMessage: { text: 'hi 2' } });
    const page2 = await request(api.url).get(`/chats?limit=2&cursor=${page1.body.nextCursor}`).set(auth(me));
    expect(page2.body.items.map((c: { id: string }) => c.id)).toEqual([chats[1]]);
    expect(page2.body.nextCursor).toBeNull();
    expect((await request(api.url).get('/chats?cursor=bogus').set(auth(me))).body.code).toBe('invalid_cursor');
  });

  it('keeps unread counts exact through sends, seen markers and deletes', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const m1 = await sendRest(api, a, chatId, 'one');
    await sendRest(api, a, chatId, 'two');
    await sendRest(api, b, chatId, 'mine do not count');
    const m4 = await sendRest(api, a, chatId, 'three');
    expect(await unreadOf(api, b, chatId)).toBe(3);
    expect(await unreadOf(api, a, chatId)).toBe(1);
    // Seen up to seq 1: two of a's messages above it.
    const seen = await request(api.url).post(`/chats/${chatId}/seen`).set(auth(b)).send({ upToSeq: m1.seq });
    expect(seen.body).toEqual({ chatId, userId: b.userId, upToSeq: 1 });
    expect(await unreadOf(api, b, chatId)).toBe(2);
    // Markers never move back, and never beyond the last seq.
    expect((await request(api.url).post(`/chats/${chatId}/seen`).set(auth(b)).send({ upToSeq: 0 })).body.upToSeq).toBe(1);
    // a deletes m4 for everyone: it no longer counts for b.
    expect((await request(api.url).delete(`/chats/${chatId}/messages/${m4.id}?for=everyone`).set(auth(a))).status).toBe(204);
    expect(await unreadOf(api, b, chatId)).toBe(1);
    // b deletes the remaining unread one for themselves: 0.
    const list = await request(api.url).get(`/chats/${chatId}/messages?after=1`).set(auth(b));
    const two = list.body.items.find((m: { text: string }) => m.text === 'two');
    expect((await request(api.url).delete(`/chats/${chatId}/messages/${two.id}?for=me`).set(auth(b))).status).toBe(204);
    expect(await unreadOf(api, b, chatId)).toBe(0);
    // A new message counts again; seen beyond the last seq clamps to it.
    await sendRest(api, a, chatId, 'four');
    expect(await unreadOf(api, b, chatId)).toBe(1);
    expect((await request(api.url).post(`/chats/${chatId}/seen`).set(auth(b)).send({ upToSeq: 999 })).body.upToSeq).toBe(5);
    expect(await unreadOf(api, b, chatId)).toBe(0);
  });

  it('edits (sender, in the window), reactions (one per user) and deletes with tombstones shown in replies', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const m = await sendRest(api, a, chatId, 'typo');
    const edit = await request(api.url).patch(`/chats/${chatId}/messages/${m.id}`).set(auth(a)).send({ text: 'fixed' });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ id: m.id, seq: m.seq, text: 'fixed' });
    expect(edit.body.editedAt).toEqual(expect.any(String));
    expect((await request(api.url).patch(`/chats/${chatId}/messages/${m.id}`).set(auth(b)).send({ text: 'nope' })).body.code).toBe(
      'not_sender',
    );

    const react = (user = b, emoji = '👍') =>
      request(api.url).put(`/chats/${chatId}/messages/${m.id}/reaction`).set(auth(user)).send({ emoji });
    expect((await react()).body.reactions).toEqual({ [b.userId]: '👍' });
    expect((await react(b, '❤️')).body.reactions).toEqual({ [b.userId]: '❤️' });
    expect((await react(a, '😂')).body.reactions).toEqual({ [b.userId]: '❤️', [a.userId]: '😂' });
    expect((await react(b, 'lol')).status).toBe(400);
    const unreact = await request(api.url).delete(`/chats/${chatId}/messages/${m.id}/reaction`).set(auth(b));
    expect(unreact.body.reactions).toEqual({ [a.userId]: '😂' });

    const reply = await sendRest(api, b, chatId, 'replying', { replyTo: m.id });
    expect((await request(api.url).delete(`/chats/${chatId}/messages/${m.id}?for=everyone`).set(auth(b))).body.code).toBe('not_sender');
    expect((await request(api.url).delete(`/chats/${chatId}/messages/${m.id}?for=everyone`).set(auth(a))).status).toBe(204);
    const page = await request(api.url).get(`/chats/${chatId}/messages`).set(auth(b));
    const [tomb, answer] = page.body.items;
    expect(tomb).toMatchObject({ id: m.id, seq: m.seq, deleted: true, text: null, reactions: {} });
    expect(answer).toMatchObject({ id: reply.id, replyTo: { id: m.id, deleted: true, text: null } });
    expect((await react()).body.code).toBe('message_deleted');
    // Delete for me hides it from me only.
    expect((await request(api.url).delete(`/chats/${chatId}/messages/${reply.id}?for=me`).set(auth(a))).status).toBe(204);
    expect((await request(api.url).get(`/chats/${chatId}/messages`).set(auth(a))).body.items.map((x: { id: string }) => x.id)).toEqual([
      m.id,
    ]);
    expect((await request(api.url).get(`/chats/${chatId}/messages`).set(auth(b))).body.items).toHaveLength(2);
  });

  it('a deleted account takes its chats and their messages with it (user.deleted)', async () => {
    const { a, b, chatId } = await connectedPair(api);
    await sendRest(api, a, chatId, 'from a');
    await sendRest(api, b, chatId, 'from b');
    const messages = api.connection.collection('messages');
    const inChat = () => messages.countDocuments({ chatId: new Types.ObjectId(chatId) });
    expect(await inChat()).toBe(2);
    expect((await request(api.url).delete('/users/me').set(auth(a))).status).toBe(204);
    expect(await inChat()).toBe(0);
    expect(await api.connection.collection('chats').countDocuments({ _id: new Types.ObjectId(chatId) })).toBe(0);
    expect((await request(api.url).get('/chats').set(auth(b))).body.items).toEqual([]);
    expect((await request(api.url).get(`/chats/${chatId}/messages`).set(auth(b))).body.code).toBe('chat_not_found');
  });

  it('refuses edits and deletes for everyone after their windows', async () => {
    const strict = await startTestApi({ CHAT_EDIT_WINDOW_SECONDS: '0', CHAT_DELETE_WINDOW_SECONDS: '0' });
    try {
      const { a, chatId } = await connectedPair(strict);
      const m = await sendRest(strict, a, chatId, 'hello');
      await new Promise((r) => setTimeout(r, 20));
      const edit = await request(strict.url).patch(`/chats/${chatId}/messages/${m.id}`).set(auth(a)).send({ text: 'x' });
      expect(edit.body.code).toBe('edit_window_passed');
      const del = await request(strict.url).delete(`/chats/${chatId}/messages/${m.id}?for=everyone`).set(auth(a));
      expect(del.body.code).toBe('delete_window_passed');
      expect((await request(strict.url).delete(`/chats/${chatId}/messages/${m.id}?for=me`).set(auth(a))).status).toBe(204);
    } finally {
      await strict.close();
    }
  });
});
