import sharp from 'sharp';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  emitWithAck,
  nextEvent,
  runProcess,
  type RunningProcess,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';
import { auth, cmid, collect, connectedPair, type Json } from './chat-fixtures.js';

const photo = (seed: number): Promise<Buffer> =>
  sharp({ create: { width: 48 + seed, height: 32, channels: 3, background: { r: seed * 20, g: 90, b: 10 } } })
    .png()
    .toBuffer();

/**
 * Media in chat with the real media module and the real worker: a message sent while its media is still
 * processing reaches the peer at once (`status: processing`) and again as `message:updated` kind media
 * once the worker is done (signed URLs that serve the bytes); ownership and state are checked; delete for
 * everyone detaches the media. Sender and recipient are on different api processes. The suite skips
 * itself while the media module's upload route is not in this build.
 */
describe('media in chat', () => {
  let api: TestApi;
  let other: ApiProcess;
  let worker: RunningProcess | undefined;
  const sockets = socketPool();
  const open = (url: string, user: { accessToken: string }): Promise<Socket> => sockets.connect(url, user.accessToken);
  const upload = async (user: { accessToken: string }, bytes: Buffer, name: string): Promise<string> => {
    const res = await request(api.url).post('/media').set(auth(user)).attach('file', bytes, name);
    if (res.status !== 202 && res.status !== 200) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const startWorker = async (): Promise<void> => {
    worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    await worker.waitFor(/worker ready/, 30_000);
  };

  beforeAll(async () => {
    api = await startTestApi();
    // 404: no media module in this build (the chat routes refuse attachments with 503 then).
    other = await startApiProcess(api.env);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await worker?.stop();
    await other?.stop('SIGKILL');
    await api?.close();
  });

  it("refuses someone else's media, missing and failed media, too many attachments; text is optional only with media", async () => {
    const { a, b, chatId } = await connectedPair(api);
    const post = (body: object) =>
      request(api.url)
        .post(`/chats/${chatId}/messages`)
        .set(auth(a))
        .send({ clientMessageId: cmid(), ...body });
    const theirs = await upload(b, await photo(2), 'theirs.png');
    expect((await post({ attachments: [theirs] })).body).toMatchObject({ statusCode: 404, code: 'media_not_found' });
    expect((await post({ attachments: ['665f1c2b9a1e4d3f2a1b0eff'] })).body.code).toBe('media_not_found');
    // A cancelled upload is failed (no worker runs yet in this suite: the job is still waiting).
    const cancelled = await upload(a, await photo(3), 'cancelled.png');
    expect(await emitWithAck(await open(api.url, a), 'media:cancel', { id: cancelled })).toMatchObject({
      ok: true,
      data: { status: 'failed' },
    });
    expect((await post({ attachments: [cancelled] })).body).toMatchObject({ statusCode: 409, code: 'media_failed' });
    const many = Array.from({ length: 11 }, (_, i) => `665f1c2b9a1e4d3f2a1b0e${(i + 10).toString(16).padStart(2, '0')}`);
    expect((await post({ attachments: many })).body.code).toBe('validation_failed');
    expect((await post({})).body.code).toBe('validation_failed');
    const mine = await upload(a, await photo(4), 'mine.png');
    const sent = await post({ attachments: [mine] });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ type: 'image', text: null, attachments: [{ mediaId: mine }] });
    // The peer may now fetch it (attached to a message of their chat).
    expect((await request(api.url).get(`/media/${mine}`).set(auth(b))).status).toBe(200);
    expect(await api.connection.collection('messages').countDocuments({ 'attachments.mediaId': { $in: [theirs, cancelled] } })).toBe(0);
  });

  it('a photo sent while processing reaches the peer at once, then as ready with URLs that serve it; sync replays it', async () => {
    const { a, b, chatId } = await connectedPair(api);
    // No worker yet: the upload stays `processing`.
    const mediaId = await upload(a, await photo(1), 'beach.png');
    const sb = await open(other.url, b);
    const sync0 = await emitWithAck<Json>(sb, 'chat:sync', { changeCursors: { [chatId]: 0 } });
    const changeCursor = sync0.ok ? (sync0.data.chats[0]?.changeSeq ?? 0) : 0;
    const received = nextEvent<Json>(sb, 'chat:receive');
    const sa = await open(api.url, a);
    const ack = await emitWithAck<Json>(sa, 'chat:send', {
      chatId,
      clientMessageId: cmid('photo'),
      text: ' at the beach ',
      attachments: [mediaId],
    });
    expect(ack).toMatchObject({ ok: true, data: { type: 'image', text: 'at the beach', seq: 1 } });
    const message = await received;
    expect(message.attachments).toEqual([
      expect.objectContaining({ mediaId, kind: 'image', voice: false, status: 'processing', url: null }),
    ]);
    // The worker processes it: both sides hear message:updated kind media, with signed URLs.
    const updates = collect<Json>(sb, 'message:updated');
    const aUpdates = collect<Json>(sa, 'message:updated');
    await startWorker();
    await expect.poll(() => updates.length, { timeout: 60_000 }).toBeGreaterThan(0);
    const ready = updates[0];
    expect(ready).toMatchObject({ chatId, kind: 'media', message: { id: message.id, attachments: [{ mediaId, status: 'ready' }] } });
    await expect.poll(() => aUpdates.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const { url, thumbnailUrl, width, height, mimeType } = ready.message.attachments[0];
    expect([typeof url, typeof thumbnailUrl, width, height, mimeType]).toEqual([
      'string',
      'string',
      49,
      32,
      expect.stringMatching(/^image\//),
    ]);
    const bytes = await request(api.url).get(url).buffer(true);
    expect(bytes.status).toBe(200);
    expect((await sharp(bytes.body as Buffer).metadata()).width).toBe(49);
    // History renders the media as it is now; a device that was offline gets it as a change.
    const page = await request(other.url).get(`/chats/${chatId}/messages`).set(auth(b));
    expect(page.body.items[0].attachments[0]).toMatchObject({ mediaId, status: 'ready', url: expect.any(String) });
    const sync = await emitWithAck<Json>(sb, 'chat:sync', { cursors: { [chatId]: 1 }, changeCursors: { [chatId]: changeCursor } });
    expect(sync.ok && sync.data.chats[0].changes.map((c: Json) => [c.kind, c.message.id, c.message.attachments[0].status])).toEqual([
      ['media', message.id, 'ready'],
    ]);

    // Delete for everyone: the tombstone shows no media, and the media (used by nothing else) is deleted.
    expect((await request(api.url).delete(`/chats/${chatId}/messages/${message.id}?for=everyone`).set(auth(a))).status).toBe(204);
    await expect.poll(async () => (await request(api.url).get(`/media/${mediaId}`).set(auth(a))).status, { timeout: 10_000 }).toBe(404);
    expect((await request(api.url).get(url)).status).not.toBe(200);
  });
});
