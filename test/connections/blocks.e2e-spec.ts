import request from 'supertest';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactDirectory } from '@app/common';
import { connectSocket, connectUsers, nextEvent, signUp, type SignedUpUser, startTestApi, type TestApi } from '@test/support';

const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

describe('blocks', () => {
  let api: TestApi;
  const http = (): ReturnType<typeof request> => request(api.url);
  const qrOf = async (u: SignedUpUser): Promise<string> =>
    (
      await http()
        .post('/qr')
        .set(...auth(u))
    ).body.token;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('blocking a contact removes the connection for both; the other hears connection:removed', async () => {
    const [a, b] = await Promise.all([signUp(api), signUp(api)]);
    await connectUsers(api, a, b);
    const socket = await connectSocket(api.url, b.accessToken);
    try {
      const event = nextEvent<{ userId: string }>(socket, 'connection:removed');
      const res = await http()
        .post(`/blocks/${b.userId}`)
        .set(...auth(a));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ userId: b.userId, blockedAt: expect.any(String) });
      expect(await event).toEqual({ userId: a.userId });
    } finally {
      socket.close();
    }
    const directory = api.app.get(ContactDirectory);
    expect(await directory.canInteract(a.userId, b.userId)).toBe(false);
    expect(await directory.isBlockedEitherWay(b.userId, a.userId)).toBe(true);
    for (const u of [a, b])
      expect(
        (
          await http()
            .get('/connections')
            .set(...auth(u))
        ).body.items,
      ).toEqual([]);
    expect(
      (
        await http()
          .get('/blocks')
          .set(...auth(a))
      ).body,
    ).toEqual({ items: [res(b)], nextCursor: null });
    expect(
      (
        await http()
          .get('/blocks')
          .set(...auth(b))
      ).body.items,
    ).toEqual([]);

    function res(u: SignedUpUser): object {
      return { userId: u.userId, blockedAt: expect.any(String) };
    }
  });

  it('blocked users cannot request each other, and a pending request between them disappears', async () => {
    const [a, b] = await Promise.all([signUp(api), signUp(api)]);
    // b has a pending request to a when a blocks b.
    const pending = await http()
      .post('/qr/scan')
      .set(...auth(b))
      .send({ token: await qrOf(a) });
    expect(pending.status).toBe(201);
    expect(
      (
        await http()
          .post(`/blocks/${b.userId}`)
          .set(...auth(a))
      ).status,
    ).toBe(201);
    expect(
      (
        await http()
          .get('/connections/requests?direction=incoming')
          .set(...auth(a))
      ).body.items,
    ).toEqual([]);
    expect(
      (
        await http()
          .get('/connections/requests?direction=outgoing')
          .set(...auth(b))
      ).body.items,
    ).toEqual([]);
    expect(
      (
        await http()
          .post(`/connections/requests/${pending.body.id}/accept`)
          .set(...auth(a))
      ).status,
    ).toBe(409);
    // Neither direction can request; the answer does not reveal the block.
    expect(
      (
        await http()
          .post('/qr/scan')
          .set(...auth(b))
          .send({ token: await qrOf(a) })
      ).body,
    ).toMatchObject({ statusCode: 404, code: 'qr_not_found' });
    expect(
      (
        await http()
          .post('/qr/scan')
          .set(...auth(a))
          .send({ token: await qrOf(b) })
      ).body,
    ).toMatchObject({ statusCode: 404, code: 'qr_not_found' });
  });

  it('is idempotent, refuses self and unknown users, and unblocking lets them connect again', async () => {
    const [a, b] = await Promise.all([signUp(api), signUp(api)]);
    const first = await http()
      .post(`/blocks/${b.userId}`)
      .set(...auth(a));
    const again = await http()
      .post(`/blocks/${b.userId}`)
      .set(...auth(a));
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(
      (
        await http()
          .post(`/blocks/${a.userId}`)
          .set(...auth(a))
      ).body,
    ).toMatchObject({ statusCode: 400, code: 'cannot_block_self' });
    expect(
      (
        await http()
          .post(`/blocks/${new Types.ObjectId().toHexString()}`)
          .set(...auth(a))
      ).body,
    ).toMatchObject({
      statusCode: 404,
      code: 'user_not_found',
    });
    expect(
      (
        await http()
          .post('/blocks/nope')
          .set(...auth(a))
      ).status,
    ).toBe(400);

    expect(
      (
        await http()
          .delete(`/blocks/${b.userId}`)
          .set(...auth(a))
      ).status,
    ).toBe(204);
    expect(
      (
        await http()
          .delete(`/blocks/${b.userId}`)
          .set(...auth(a))
      ).body,
    ).toMatchObject({ statusCode: 404, code: 'not_blocked' });
    expect(
      (
        await http()
          .get('/blocks')
          .set(...auth(a))
      ).body.items,
    ).toEqual([]);
    await connectUsers(api, a, b);
    expect(await api.app.get(ContactDirectory).canInteract(a.userId, b.userId)).toBe(true);
  });

  it('GET /blocks pages newest first', async () => {
    const [me, x, y, z] = await Promise.all([signUp(api), signUp(api), signUp(api), signUp(api)]);
    for (const u of [x, y, z])
      expect(
        (
          await http()
            .post(`/blocks/${u.userId}`)
            .set(...auth(me))
        ).status,
      ).toBe(201);
    const first = await http()
      .get('/blocks?limit=2')
      .set(...auth(me));
    expect(first.body.items.map((b: { userId: string }) => b.userId)).toEqual([z.userId, y.userId]);
    const second = await http()
      .get(`/blocks?limit=2&cursor=${first.body.nextCursor}`)
      .set(...auth(me));
    expect(second.body).toEqual({ items: [{ userId: x.userId, blockedAt: expect.any(String) }], nextCursor: null });
  });
});

describe('account deletion', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("removes the user's connections, requests, blocks and QR codes; contacts hear connection:removed", async () => {
    const [gone, friend, asker, blocked, blocker] = await Promise.all(Array.from({ length: 5 }, () => signUp(api)));
    const http = request(api.url);
    await connectUsers(api, gone, friend);
    const qr = await http.post('/qr').set(...auth(gone));
    expect(
      (
        await http
          .post('/qr/scan')
          .set(...auth(asker))
          .send({ token: qr.body.token })
      ).status,
    ).toBe(201);
    await http.post('/qr').set(...auth(gone));
    expect((await http.post(`/blocks/${blocked.userId}`).set(...auth(gone))).status).toBe(201);
    expect((await http.post(`/blocks/${gone.userId}`).set(...auth(blocker))).status).toBe(201);

    const socket = await connectSocket(api.url, friend.accessToken);
    try {
      const event = nextEvent<{ userId: string }>(socket, 'connection:removed');
      expect((await http.delete('/users/me').set(...auth(gone))).status).toBe(204);
      expect(await event).toEqual({ userId: gone.userId });
    } finally {
      socket.close();
    }
    const db = api.connection;
    const id = gone.userId;
    expect(await db.collection('connections').countDocuments({ $or: [{ owner: id }, { peer: id }] })).toBe(0);
    expect(await db.collection('connection_requests').countDocuments({ $or: [{ from: id }, { to: id }] })).toBe(0);
    expect(await db.collection('blocks').countDocuments({ $or: [{ blocker: id }, { blocked: id }] })).toBe(0);
    expect(await db.collection('qr_tokens').countDocuments({ owner: id })).toBe(0);
    expect((await http.get('/connections').set(...auth(friend))).body.items).toEqual([]);
    expect((await http.get('/blocks').set(...auth(blocker))).body.items).toEqual([]);
  });
});
