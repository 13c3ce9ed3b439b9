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
import { auth, circle, type Json, postText, setPrivacy } from './status-fixtures.js';

/** Views and read receipts across two api processes sharing one database and Redis. */
describe('status views across two api processes', () => {
  let api: TestApi;
  let other: ApiProcess;
  const sockets = socketPool();
  const open = (url: string, user: { accessToken: string }): Promise<Socket> => sockets.connect(url, user.accessToken);
  const collect = (socket: Socket, event: string): Json[] => {
    const seen: Json[] = [];
    socket.on(event, (p: Json) => seen.push(p));
    return seen;
  };
  const mine = async (author: { accessToken: string }): Promise<Json[]> =>
    (await request(api.url).get('/statuses/mine').set(auth(author))).body;

  beforeAll(async () => {
    api = await startTestApi({ SOCKET_RATE_LIMIT_EVENTS: '1000' });
    other = await startApiProcess(api.env);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await api?.close();
  });

  it('20 concurrent views from two devices on two processes count once, keep the first time, and tell the author once', async () => {
    const { author, friends } = await circle(api, 1);
    const viewer = friends[0];
    const laptop = await signUp(api, { identifier: viewer.identifier, deviceName: 'laptop' });
    const status = await postText(api, author);
    const [authorPhone, authorLaptop, viewerPhone] = await Promise.all([
      open(other.url, author),
      open(api.url, author),
      open(api.url, viewer),
    ]);
    const heard = collect(authorPhone, 'status:viewed');
    const first = nextEvent<Json>(authorLaptop, 'status:viewed');

    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i): Promise<{ statusId: string; viewedAt: string }> => {
        if (i % 2 === 0) {
          const ack = await emitWithAck<{ statusId: string; viewedAt: string }>(viewerPhone, 'status:view', { statusId: status.id });
          if (!ack.ok) throw new Error(JSON.stringify(ack.error));
          return ack.data;
        }
        const res = await request(other.url).post(`/statuses/${status.id}/view`).set(auth(laptop));
        expect(res.status).toBe(200);
        return res.body as { statusId: string; viewedAt: string };
      }),
    );
    const stored = await api.connection.collection('status_views').find({ statusId: status.id }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ viewerId: viewer.userId, authorId: author.userId });
    const viewedAt = (stored[0].viewedAt as Date).toISOString();
    expect(new Set(answers.map((a) => a.viewedAt))).toEqual(new Set([viewedAt]));

    expect(await first).toEqual({ statusId: status.id, viewerId: viewer.userId, viewedAt });
    expect(await noEvent(authorLaptop, 'status:viewed', 1500)).toBe(true);
    expect(heard).toEqual([{ statusId: status.id, viewerId: viewer.userId, viewedAt }]);

    // The author's list and the viewer's feed agree.
    expect((await mine(author))[0]).toMatchObject({ id: status.id, viewers: [{ userId: viewer.userId, viewedAt }] });
    const feed = (await request(api.url).get('/statuses').set(auth(viewer))).body;
    expect(feed.authors[0]).toMatchObject({ authorId: author.userId, hasUnseen: false, statuses: [{ id: status.id, viewed: true }] });
    // Viewing my own status records nothing.
    expect((await request(api.url).post(`/statuses/${status.id}/view`).set(auth(author))).body).toEqual({
      statusId: status.id,
      viewedAt: null,
    });
    expect(await api.connection.collection('status_views').countDocuments({ statusId: status.id })).toBe(1);
  });

  it('read receipts are reciprocal: a viewer with them off is not shown, and an author with them off sees no one', async () => {
    const { author, friends } = await circle(api, 2);
    const [private_, open_] = friends;
    await setPrivacy(api, private_, { readReceipts: false });
    const status = await postText(api, author);
    const authorSocket = await open(api.url, author);

    const hidden = noEvent<Json>(authorSocket, 'status:viewed', 1500);
    expect((await request(other.url).post(`/statuses/${status.id}/view`).set(auth(private_))).status).toBe(200);
    expect(await hidden).toBe(true);
    const shown = nextEvent<Json>(authorSocket, 'status:viewed');
    expect((await request(other.url).post(`/statuses/${status.id}/view`).set(auth(open_))).status).toBe(200);
    expect(await shown).toMatchObject({ statusId: status.id, viewerId: open_.userId });
    expect((await mine(author))[0].viewers.map((v: Json) => v.userId)).toEqual([open_.userId]);

    // The author turns theirs off: sees no viewer at all, and hears of no new view.
    await setPrivacy(api, author, { readReceipts: false });
    expect((await mine(author))[0].viewers).toEqual([]);
    const late = await postText(api, author);
    const quiet = noEvent<Json>(authorSocket, 'status:viewed', 1500);
    expect((await request(other.url).post(`/statuses/${late.id}/view`).set(auth(open_))).status).toBe(200);
    expect(await quiet).toBe(true);

    // Both on again: the views recorded meanwhile show (receipts decide what is shown, not what is counted).
    await setPrivacy(api, author, { readReceipts: true });
    await setPrivacy(api, private_, { readReceipts: true });
    const list = await mine(author);
    expect(list.map((s: Json) => s.viewers.map((v: Json) => v.userId))).toEqual([[private_.userId, open_.userId], [open_.userId]]);
  });

  it('a viewer who blocks the author disappears from their viewer list', async () => {
    const { author, friends } = await circle(api, 2);
    const [stays, leaves] = friends;
    const status = await postText(api, author);
    for (const f of friends) expect((await request(api.url).post(`/statuses/${status.id}/view`).set(auth(f))).status).toBe(200);
    expect((await request(api.url).post(`/blocks/${author.userId}`).set(auth(leaves))).status).toBe(201);
    expect((await mine(author))[0].viewers.map((v: Json) => v.userId)).toEqual([stays.userId]);
  });
});
