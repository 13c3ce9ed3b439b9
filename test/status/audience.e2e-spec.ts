import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, emitWithAck, nextEvent, noEvent, socketPool, startApiProcess, startTestApi, type TestApi } from '@test/support';
import { auth, circle, cmid, feedIdsFrom, type Json, postText, setPrivacy } from './status-fixtures.js';

/**
 * Who sees a status, on two api processes sharing one database and Redis: this test's in-process api
 * and a compiled one (`nest build` first). Authors post on one, viewers read on either.
 */
describe('status audience and the viewer gate across two api processes', () => {
  let api: TestApi;
  let other: ApiProcess;
  const sockets = socketPool();
  const open = (url: string, user: { accessToken: string }): Promise<Socket> => sockets.connect(url, user.accessToken);
  const getStatus = (url: string, viewer: { accessToken: string }, id: string) => request(url).get(`/statuses/${id}`).set(auth(viewer));

  beforeAll(async () => {
    api = await startTestApi({ SOCKET_RATE_LIMIT_EVENTS: '1000' });
    other = await startApiProcess(api.env);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await api?.close();
  });

  it('contacts, contacts_except and only select the audience; a listed stranger is never in it', async () => {
    const { author, friends, stranger } = await circle(api, 3);
    const [b, c, d] = friends;

    const everyone = await postText(api, author);
    expect(everyone).toMatchObject({ authorId: author.userId, kind: 'text', state: 'active', audienceMode: 'contacts', audienceSize: 3 });
    for (const f of friends) expect((await getStatus(other.url, f, everyone.id)).status).toBe(200);
    expect((await getStatus(other.url, stranger, everyone.id)).status).toBe(404);

    await setPrivacy(api, author, { mode: 'contacts_except', userIds: [c.userId] });
    const except = await postText(api, author);
    expect(except).toMatchObject({ audienceMode: 'contacts_except', audienceSize: 2 });
    expect((await getStatus(other.url, b, except.id)).status).toBe(200);
    expect((await getStatus(other.url, d, except.id)).status).toBe(200);
    expect((await getStatus(other.url, c, except.id)).body).toMatchObject({ statusCode: 404, code: 'status_not_found' });

    await setPrivacy(api, author, { mode: 'only', userIds: [d.userId, stranger.userId] });
    const only = await postText(api, author);
    expect(only).toMatchObject({ audienceMode: 'only', audienceSize: 1 });
    expect((await getStatus(api.url, d, only.id)).status).toBe(200);
    for (const u of [b, c, stranger]) expect((await getStatus(api.url, u, only.id)).status).toBe(404);

    // A per-status override beats the default, for that status only.
    const override = await postText(api, author, { audience: { mode: 'contacts_except', userIds: [d.userId] } });
    expect((await getStatus(api.url, b, override.id)).status).toBe(200);
    expect((await getStatus(api.url, c, override.id)).status).toBe(200);
    expect((await getStatus(api.url, d, override.id)).status).toBe(404);

    // Feeds agree with the by-id answers, in posting order.
    expect(await feedIdsFrom(other.url, b, author.userId)).toEqual([everyone.id, except.id, override.id]);
    expect(await feedIdsFrom(other.url, c, author.userId)).toEqual([everyone.id, override.id]);
    expect(await feedIdsFrom(other.url, d, author.userId)).toEqual([everyone.id, except.id, only.id]);
    expect(await feedIdsFrom(other.url, stranger, author.userId)).toEqual([]);
    expect((await request(api.url).get('/statuses/privacy').set(auth(author))).body).toEqual({
      mode: 'only',
      userIds: [d.userId, stranger.userId],
      readReceipts: true,
    });
  });

  it('keeps the audience chosen at posting time when the privacy setting changes later (both ways)', async () => {
    const { author, friends } = await circle(api, 2);
    const [b, c] = friends;
    const wide = await postText(api, author);
    await setPrivacy(api, author, { mode: 'only', userIds: [b.userId] });
    // Narrowing later does not hide what c was already shown...
    expect((await getStatus(other.url, c, wide.id)).status).toBe(200);
    const narrow = await postText(api, author);
    expect((await getStatus(other.url, c, narrow.id)).status).toBe(404);
    // ...and widening later does not reveal what c was left out of.
    await setPrivacy(api, author, { mode: 'contacts' });
    expect((await getStatus(other.url, c, narrow.id)).status).toBe(404);
    expect(await feedIdsFrom(other.url, c, author.userId)).toEqual([wide.id]);
    expect(await feedIdsFrom(other.url, b, author.userId)).toEqual([wide.id, narrow.id]);
  });

  it('a block and a removed connection hide a status already posted, on every read path', async () => {
    const { author, friends } = await circle(api, 3);
    const [blocker, removed, kept] = friends;
    const status = await postText(api, author);
    for (const f of friends) expect((await getStatus(other.url, f, status.id)).status).toBe(200);

    expect((await request(api.url).post(`/blocks/${author.userId}`).set(auth(blocker))).status).toBe(201);
    expect((await request(api.url).delete(`/connections/${removed.userId}`).set(auth(author))).status).toBe(204);

    for (const viewer of [blocker, removed]) {
      expect(await feedIdsFrom(other.url, viewer, author.userId)).toEqual([]);
      expect((await getStatus(other.url, viewer, status.id)).status).toBe(404);
    }
    expect((await getStatus(other.url, kept, status.id)).status).toBe(200);
  });

  it('answers 404 on every read path to a viewer left out of the audience, and to a stranger', async () => {
    const { author, friends, stranger } = await circle(api, 2);
    const [member, excluded] = friends;
    const status = await postText(api, author, { audience: { mode: 'only', userIds: [member.userId] } });
    const paths = (id: string) => [
      request(other.url).get(`/statuses/${id}`),
      request(other.url).get(`/statuses/${id}/media`),
      request(other.url).post(`/statuses/${id}/view`),
      request(other.url).post(`/statuses/${id}/reply`).send({ clientMessageId: cmid(), text: 'hi' }),
      request(other.url).put(`/statuses/${id}/reaction`).send({ emoji: '🔥' }),
      request(other.url).delete(`/statuses/${id}`),
    ];
    for (const viewer of [excluded, stranger]) {
      for (const req of paths(status.id)) {
        const res = await req.set(auth(viewer));
        expect(res.status, `${req.method} ${req.url}`).toBe(404);
        expect(res.body.code).toBe('status_not_found');
      }
      const socket = await open(other.url, viewer);
      expect(await emitWithAck(socket, 'status:view', { statusId: status.id })).toEqual({
        ok: false,
        error: { code: 'status_not_found', message: 'Status not found' },
      });
    }
    // The author's viewer list is theirs alone.
    expect((await request(other.url).get('/statuses/mine').set(auth(member))).body).toEqual([]);
    // The member passes the gate; a text status simply has no media.
    expect((await request(other.url).get(`/statuses/${status.id}/media`).set(auth(member))).body.code).toBe('status_media_not_found');
    expect(await api.connection.collection('status_views').countDocuments({ statusId: status.id })).toBe(0);
  });

  it('status:new reaches exactly the audience sockets on both processes, never an excluded, muted or stranger socket', async () => {
    const { author, friends, stranger } = await circle(api, 4);
    const [onApi, onOther, excluded, muting] = friends;
    expect((await request(api.url).put(`/statuses/mutes/${author.userId}`).set(auth(muting))).status).toBe(204);
    const [sApi, sOther, sExcluded, sMuting, sStranger, sAuthor] = await Promise.all([
      open(api.url, onApi),
      open(other.url, onOther),
      open(other.url, excluded),
      open(api.url, muting),
      open(other.url, stranger),
      open(other.url, author),
    ]);
    const got = [nextEvent<Json>(sApi, 'status:new'), nextEvent<Json>(sOther, 'status:new')];
    const silent = [sExcluded, sMuting, sStranger, sAuthor].map((s) => noEvent(s, 'status:new', 2500));
    const posted = await postText(api, author, { audience: { mode: 'contacts_except', userIds: [excluded.userId] } });
    for (const event of await Promise.all(got)) {
      expect(event).toEqual({
        status: {
          id: posted.id,
          authorId: author.userId,
          kind: 'text',
          text: posted.text,
          background: '#25D366',
          font: 'serif',
          caption: null,
          media: null,
          createdAt: posted.createdAt,
          expiresAt: posted.expiresAt,
          viewed: false,
        },
      });
    }
    expect(await Promise.all(silent)).toEqual([true, true, true, true]);

    // Ending it early tells the same audience (the muted one stays silent).
    const deleted = [nextEvent<Json>(sApi, 'status:deleted'), nextEvent<Json>(sOther, 'status:deleted')];
    const quiet = [sExcluded, sMuting, sStranger].map((s) => noEvent(s, 'status:deleted', 2000));
    expect((await request(other.url).delete(`/statuses/${posted.id}`).set(auth(author))).status).toBe(204);
    for (const e of await Promise.all(deleted)) expect(e).toEqual({ statusId: posted.id, authorId: author.userId });
    expect(await Promise.all(quiet)).toEqual([true, true, true]);
    expect((await getStatus(api.url, onApi, posted.id)).status).toBe(404);
    expect(await api.connection.collection('status_audience').countDocuments({ statusId: posted.id })).toBe(0);
  });

  it('feed: mine first; authors with unseen statuses first, muted last; posting order and viewed flags', async () => {
    const { author: me, friends } = await circle(api, 3);
    const [seenAll, unseen, muted] = friends;
    const mine = await postText(api, me);
    const s1 = await postText(api, seenAll);
    const u1 = await postText(api, unseen);
    const u2 = await postText(api, unseen);
    const m1 = await postText(api, muted);
    // seenAll posts last (newest), but every status of theirs is viewed: after unseen.
    const s2 = await postText(api, seenAll);
    for (const s of [s1, s2, u1]) expect((await request(other.url).post(`/statuses/${s.id}/view`).set(auth(me))).status).toBe(200);
    expect((await request(api.url).put(`/statuses/mutes/${muted.userId}`).set(auth(me))).status).toBe(204);

    const feed = (await request(other.url).get('/statuses').set(auth(me))).body;
    expect(feed.mine.map((s: Json) => s.id)).toEqual([mine.id]);
    expect(feed.authors.map((a: Json) => [a.authorId, a.hasUnseen, a.muted])).toEqual([
      [unseen.userId, true, false],
      [seenAll.userId, false, false],
      [muted.userId, true, true],
    ]);
    expect(feed.authors[0].statuses.map((s: Json) => [s.id, s.viewed])).toEqual([
      [u1.id, true],
      [u2.id, false],
    ]);
    expect(feed.authors[1].statuses.map((s: Json) => s.id)).toEqual([s1.id, s2.id]);
    expect(feed.authors[2].statuses.map((s: Json) => s.id)).toEqual([m1.id]);

    expect((await request(api.url).delete(`/statuses/mutes/${muted.userId}`).set(auth(me))).status).toBe(204);
    const unmuted = (await request(api.url).get('/statuses').set(auth(me))).body;
    expect(unmuted.authors.map((a: Json) => a.authorId)).toEqual([muted.userId, unseen.userId, seenAll.userId]);
  });

  it('a deleted account takes its statuses, audience rows, views and settings with it', async () => {
    const { author, friends } = await circle(api, 1);
    const viewer = friends[0];
    const status = await postText(api, author);
    const theirs = await postText(api, viewer);
    await setPrivacy(api, author, { readReceipts: false });
    expect((await request(api.url).post(`/statuses/${status.id}/view`).set(auth(viewer))).status).toBe(200);
    expect((await request(api.url).post(`/statuses/${theirs.id}/view`).set(auth(author))).status).toBe(200);
    expect((await request(api.url).delete('/users/me').set(auth(author))).status).toBe(204);
    const db = api.connection;
    expect(await db.collection('statuses').countDocuments({ authorId: author.userId })).toBe(0);
    expect(await db.collection('status_audience').countDocuments({ $or: [{ authorId: author.userId }, { viewerId: author.userId }] })).toBe(
      0,
    );
    expect(await db.collection('status_views').countDocuments({ $or: [{ authorId: author.userId }, { viewerId: author.userId }] })).toBe(0);
    expect(await db.collection('status_settings').countDocuments({ _id: author.userId as never })).toBe(0);
    expect((await request(api.url).get('/statuses/mine').set(auth(viewer))).body).toMatchObject([{ id: theirs.id, viewers: [] }]);
  });

  it('refuses malformed statuses', async () => {
    const { author } = await circle(api, 0);
    const post = (body: object) => request(api.url).post('/statuses').set(auth(author)).send(body);
    expect((await post({ kind: 'text' })).body.code).toBe('invalid_status');
    expect((await post({ kind: 'text', text: '   ' })).status).toBe(400);
    expect((await post({ kind: 'text', text: 'x', background: 'red' })).status).toBe(400);
    expect((await post({ kind: 'text', text: 'x', audience: { mode: 'only', userIds: ['nope'] } })).status).toBe(400);
    expect((await post({ kind: 'image', text: 'x' })).body.code).toBe('invalid_status');
    expect((await post({ kind: 'text', text: 'x', $where: '1' })).status).toBe(400);
    expect((await request(api.url).get('/statuses/not-an-id').set(auth(author))).body.code).toBe('invalid_id');
  });
});
