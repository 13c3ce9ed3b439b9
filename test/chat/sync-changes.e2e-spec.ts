import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, emitWithAck, signUp, socketPool, startApiProcess, startTestApi, type TestApi } from '@test/support';
import { auth, connectedPair, type Json, sendRest } from './chat-fixtures.js';

/**
 * Edits, deletes and reactions made while a device is offline reach it through chat:sync `changes`
 * (a per-chat change seq with a cursor beside the message seq), across two api processes: the changes
 * are made on one, the device syncs on the other.
 */
describe('chat:sync replays changes made while a device was offline', () => {
  let api: TestApi;
  let other: ApiProcess;
  const sockets = socketPool();
  const open = (url: string, user: { accessToken: string }): Promise<Socket> => sockets.connect(url, user.accessToken);
  const sync = async (socket: Socket, payload: object): Promise<Json> => {
    const ack = await emitWithAck<Json>(socket, 'chat:sync', payload);
    if (!ack.ok) throw new Error(`chat:sync failed: ${JSON.stringify(ack)}`);
    return ack.data;
  };
  const changesOf = (chat: Json) =>
    chat.changes.map((c: Json) => [c.kind, c.message.id, c.message.text, c.message.deleted, c.message.reactions]);

  beforeAll(async () => {
    api = await startTestApi();
    other = await startApiProcess(api.env);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await api?.close();
  });

  it('the peer edits, deletes for everyone and reacts while my phone is offline: sync gives exactly those changes, in order', async () => {
    const { a, b, chatId } = await connectedPair(api);
    const bLaptop = await signUp(api, { identifier: b.identifier, deviceName: 'laptop' });
    const [m1, m2, m3, m4] = [
      await sendRest(api, a, chatId, 'one'),
      await sendRest(api, a, chatId, 'two'),
      await sendRest(api, a, chatId, 'three'),
      await sendRest(api, a, chatId, 'four'),
    ];

    // b's phone catches up once (first sync: change cursor 0), then goes offline holding seq 4.
    const phone = await open(other.url, b);
    const first = await sync(phone, { changeCursors: { [chatId]: 0 } });
    expect(first.chats).toHaveLength(1);
    expect(first.chats[0]).toMatchObject({ chatId, hasMore: false, changes: [] });
    expect(first.chats[0].messages.map((m: Json) => m.seq)).toEqual([1, 2, 3, 4]);
    const heldChangeSeq: number = first.chats[0].changeSeq;
    phone.close();

    // On the other process: a edits, deletes for everyone, reacts; b's laptop deletes one for itself only;
    // a sends a new message and edits it (the new one comes as a message, in its current state).
    const onOther = request(other.url);
    expect((await onOther.patch(`/chats/${chatId}/messages/${m1.id}`).set(auth(a)).send({ text: 'one, edited' })).status).toBe(200);
    expect((await onOther.delete(`/chats/${chatId}/messages/${m2.id}?for=everyone`).set(auth(a))).status).toBe(204);
    expect((await onOther.put(`/chats/${chatId}/messages/${m3.id}/reaction`).set(auth(a)).send({ emoji: '🎉' })).status).toBe(200);
    expect((await request(api.url).delete(`/chats/${chatId}/messages/${m4.id}?for=me`).set(auth(bLaptop))).status).toBe(204);
    const m5 = await sendRest(api, a, chatId, 'five');
    expect((await onOther.patch(`/chats/${chatId}/messages/${m5.id}`).set(auth(a)).send({ text: 'five, edited' })).status).toBe(200);

    // Back online, on the first process: the new message plus exactly the changes to what it holds.
    const back = await open(api.url, b);
    const caughtUp = await sync(back, { cursors: { [chatId]: 4 }, changeCursors: { [chatId]: heldChangeSeq } });
    expect(caughtUp.chats).toHaveLength(1);
    const chat = caughtUp.chats[0];
    expect(chat.messages.map((m: Json) => [m.id, m.text])).toEqual([[m5.id, 'five, edited']]);
    expect(changesOf(chat)).toEqual([
      ['edited', m1.id, 'one, edited', false, {}],
      ['deleted', m2.id, null, true, {}],
      ['reaction', m3.id, 'three', false, { [a.userId]: '🎉' }],
      ['hidden', m4.id, 'four', false, {}],
    ]);
    const seqs = chat.changes.map((c: Json) => c.changeSeq as number);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(4);
    expect(chat.changeSeq).toBeGreaterThanOrEqual(seqs.at(-1));
    expect(chat.hasMore).toBe(false);

    // Synced from the new cursors: nothing more.
    expect(await sync(back, { cursors: { [chatId]: 5 }, changeCursors: { [chatId]: chat.changeSeq } })).toEqual({ chats: [] });
    // An older client that sends no change cursor gets what it got before: no new messages, nothing.
    expect(await sync(back, { cursors: { [chatId]: 5 } })).toEqual({ chats: [] });
    // Paged (the same catch-up again): a limit splits the changes, hasMore asks for the rest from the returned cursor.
    const page1 = (await sync(back, { cursors: { [chatId]: 4 }, changeCursors: { [chatId]: heldChangeSeq }, limit: 2 })).chats[0];
    expect(changesOf(page1).map((c: Json[]) => c[1])).toEqual([m1.id, m2.id]);
    expect(page1.hasMore).toBe(true);
    const page2 = (await sync(back, { cursors: { [chatId]: 4 }, changeCursors: { [chatId]: page1.changeSeq }, limit: 2 })).chats[0];
    expect(changesOf(page2).map((c: Json[]) => c[1])).toEqual([m3.id, m4.id]);
    expect(page2.hasMore).toBe(false);

    // a's devices replay the shared changes (their own edits included) but not b's "delete for me".
    const aPhone = await open(other.url, a);
    const aChat = (await sync(aPhone, { cursors: { [chatId]: 5 }, changeCursors: { [chatId]: heldChangeSeq } })).chats[0];
    expect(changesOf(aChat).map((c: Json[]) => [c[0], c[1]])).toEqual([
      ['edited', m1.id],
      ['deleted', m2.id],
      ['reaction', m3.id],
      ['edited', m5.id],
    ]);
  });
});
