import request from 'supertest';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, connectUsers, nextEvent, signUp, type SignedUpUser, startTestApi, type TestApi } from '@test/support';

const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

describe('connection requests', () => {
  let api: TestApi;
  const http = (): ReturnType<typeof request> => request(api.url);
  /** `scanner` scans a fresh code of `owner`: a pending request from scanner to owner. */
  const requestTo = async (owner: SignedUpUser, scanner: SignedUpUser): Promise<{ id: string }> => {
    const qr = await http()
      .post('/qr')
      .set(...auth(owner));
    const res = await http()
      .post('/qr/scan')
      .set(...auth(scanner))
      .send({ token: qr.body.token });
    expect(res.status).toBe(201);
    return res.body;
  };
  const act = (u: SignedUpUser, id: string, action: 'accept' | 'reject'): request.Test =>
    http()
      .post(`/connections/requests/${id}/${action}`)
      .set(...auth(u));
  const list = async (u: SignedUpUser, direction: string): Promise<string[]> => {
    const res = await http()
      .get(`/connections/requests?direction=${direction}`)
      .set(...auth(u));
    expect(res.status).toBe(200);
    return res.body.items.map((r: { id: string }) => r.id);
  };
  const expireRequest = (id: string): Promise<unknown> =>
    api.connection
      .collection('connection_requests')
      .updateOne({ _id: new Types.ObjectId(id) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('lists pending requests incoming to the receiver and outgoing from the sender', async () => {
    const [owner, s1, s2] = await Promise.all([signUp(api), signUp(api), signUp(api)]);
    const r1 = await requestTo(owner, s1);
    const r2 = await requestTo(owner, s2);
    expect(await list(owner, 'incoming')).toEqual([r2.id, r1.id]);
    expect(await list(owner, 'outgoing')).toEqual([]);
    expect(await list(s1, 'outgoing')).toEqual([r1.id]);
    // Each listed request names the other party with their public profile.
    await http()
      .patch('/profile')
      .set(...auth(s1))
      .send({ name: 'Scanner One' });
    const incoming = await http()
      .get('/connections/requests')
      .set(...auth(owner));
    expect(incoming.body.items[1]).toMatchObject({ id: r1.id, fromUserId: s1.userId, user: { userId: s1.userId, name: 'Scanner One' } });
    const outgoing = await http()
      .get('/connections/requests?direction=outgoing')
      .set(...auth(s1));
    expect(outgoing.body.items[0].user).toMatchObject({ userId: owner.userId });
    expect(await list(s1, 'incoming')).toEqual([]);
    expect(
      (
        await http()
          .get('/connections/requests?direction=sideways')
          .set(...auth(owner))
      ).status,
    ).toBe(400);
    const page = await http()
      .get('/connections/requests?direction=incoming&limit=1')
      .set(...auth(owner));
    expect(page.body.items.map((r: { id: string }) => r.id)).toEqual([r2.id]);
    const next = await http()
      .get(`/connections/requests?direction=incoming&limit=1&cursor=${page.body.nextCursor}`)
      .set(...auth(owner));
    expect(next.body).toMatchObject({ items: [{ id: r1.id }], nextCursor: null });
  });

  it('only the receiver accepts; both become connected and the sender hears connection:accepted', async () => {
    const [owner, scanner, stranger] = await Promise.all([signUp(api), signUp(api), signUp(api)]);
    const req = await requestTo(owner, scanner);
    expect((await act(scanner, req.id, 'accept')).body).toMatchObject({ statusCode: 403, code: 'not_receiver' });
    expect((await act(stranger, req.id, 'accept')).body).toMatchObject({ statusCode: 404, code: 'request_not_found' });
    expect((await act(owner, new Types.ObjectId().toHexString(), 'accept')).body).toMatchObject({ statusCode: 404 });
    expect((await act(owner, 'not-an-id', 'accept')).status).toBe(400);

    const socket = await connectSocket(api.url, scanner.accessToken);
    try {
      const event = nextEvent<{ requestId: string; userId: string }>(socket, 'connection:accepted');
      const res = await act(owner, req.id, 'accept');
      expect(res.status).toBe(200);
      expect(res.body.request).toMatchObject({ id: req.id, status: 'accepted' });
      expect(res.body.contact).toMatchObject({ userId: scanner.userId });
      expect(await event).toMatchObject({ requestId: req.id, userId: owner.userId });
    } finally {
      socket.close();
    }
    expect((await act(owner, req.id, 'accept')).body).toMatchObject({ statusCode: 409, code: 'request_not_pending' });
    expect(await list(owner, 'incoming')).toEqual([]);
    const contacts = await http()
      .get('/connections')
      .set(...auth(scanner));
    expect(contacts.body.items.map((c: { userId: string }) => c.userId)).toEqual([owner.userId]);
  });

  it('two concurrent accepts create the connection exactly once', async () => {
    const [owner, scanner] = await Promise.all([signUp(api), signUp(api)]);
    const req = await requestTo(owner, scanner);
    const results = await Promise.all([act(owner, req.id, 'accept'), act(owner, req.id, 'accept')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const docs = await api.connection
      .collection('connections')
      .find({ owner: { $in: [owner.userId, scanner.userId] } })
      .toArray();
    expect(docs.map((d) => String(d._id)).sort()).toEqual(
      [`${owner.userId}:${scanner.userId}`, `${scanner.userId}:${owner.userId}`].sort(),
    );
  });

  it('the receiver rejects (the sender hears connection:rejected); the sender cancels', async () => {
    const [owner, s1, s2] = await Promise.all([signUp(api), signUp(api), signUp(api)]);
    const r1 = await requestTo(owner, s1);
    // Only the receiver rejects; a stranger is told nothing about the request.
    expect((await act(s1, r1.id, 'reject')).body).toMatchObject({ statusCode: 403, code: 'not_receiver' });
    expect((await act(s2, r1.id, 'reject')).body).toMatchObject({ statusCode: 404, code: 'request_not_found' });
    const socket = await connectSocket(api.url, s1.accessToken);
    try {
      const event = nextEvent<{ requestId: string; userId: string }>(socket, 'connection:rejected');
      const res = await act(owner, r1.id, 'reject');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: r1.id, status: 'rejected' });
      expect(await event).toEqual({ requestId: r1.id, userId: owner.userId });
    } finally {
      socket.close();
    }
    expect((await act(owner, r1.id, 'accept')).body).toMatchObject({ statusCode: 409, code: 'request_not_pending' });

    const r2 = await requestTo(owner, s2);
    expect(
      (
        await http()
          .delete(`/connections/requests/${r2.id}`)
          .set(...auth(s1))
      ).body,
    ).toMatchObject({ statusCode: 404, code: 'request_not_found' });
    expect(
      (
        await http()
          .delete(`/connections/requests/${r2.id}`)
          .set(...auth(owner))
      ).body,
    ).toMatchObject({
      statusCode: 403,
      code: 'not_sender',
    });
    expect(
      (
        await http()
          .delete(`/connections/requests/${r2.id}`)
          .set(...auth(s2))
      ).status,
    ).toBe(204);
    expect(await list(owner, 'incoming')).toEqual([]);
    expect((await act(owner, r2.id, 'accept')).body).toMatchObject({ statusCode: 409, code: 'request_not_pending' });
    // The pair may try again after a rejection or a cancellation.
    await requestTo(owner, s1);
    await requestTo(owner, s2);
  });

  it('an expired request is not listed, cannot be answered, and frees the pair for a new one (no cleanup run)', async () => {
    const [owner, scanner] = await Promise.all([signUp(api), signUp(api)]);
    const req = await requestTo(owner, scanner);
    await expireRequest(req.id);
    expect(await list(owner, 'incoming')).toEqual([]);
    expect(await list(scanner, 'outgoing')).toEqual([]);
    expect((await act(owner, req.id, 'accept')).body).toMatchObject({ statusCode: 410, code: 'request_expired' });
    expect((await act(owner, req.id, 'reject')).body).toMatchObject({ statusCode: 410, code: 'request_expired' });
    const again = await requestTo(owner, scanner);
    expect(await list(owner, 'incoming')).toEqual([again.id]);
  });
});

describe('connections', () => {
  let api: TestApi;
  const http = (): ReturnType<typeof request> => request(api.url);
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('GET /connections pages through contacts, newest first', async () => {
    const [me, c1, c2, c3] = await Promise.all([signUp(api), signUp(api), signUp(api), signUp(api)]);
    for (const c of [c1, c2, c3]) await connectUsers(api, me, c);
    const first = await http()
      .get('/connections?limit=2')
      .set(...auth(me));
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: { userId: string }) => c.userId)).toEqual([c3.userId, c2.userId]);
    expect(first.body.items[0]).toMatchObject({ userId: c3.userId, connectedAt: expect.any(String) });
    expect(first.body.items[0]).toHaveProperty('profile');
    expect(first.body.items[0]).toHaveProperty('presence');
    const second = await http()
      .get(`/connections?limit=2&cursor=${first.body.nextCursor}`)
      .set(...auth(me));
    expect(second.body).toMatchObject({ items: [{ userId: c1.userId }], nextCursor: null });
    expect(
      (
        await http()
          .get('/connections?cursor=forged')
          .set(...auth(me))
      ).body,
    ).toMatchObject({ statusCode: 400, code: 'invalid_cursor' });
    expect(
      (
        await http()
          .get('/connections?limit=500')
          .set(...auth(me))
      ).status,
    ).toBe(400);
  });

  it('DELETE /connections/:userId removes it for both; the other hears connection:removed', async () => {
    const [a, b] = await Promise.all([signUp(api), signUp(api)]);
    await connectUsers(api, a, b);
    const socket = await connectSocket(api.url, b.accessToken);
    try {
      const event = nextEvent<{ userId: string }>(socket, 'connection:removed');
      expect(
        (
          await http()
            .delete(`/connections/${b.userId}`)
            .set(...auth(a))
        ).status,
      ).toBe(204);
      expect(await event).toEqual({ userId: a.userId });
    } finally {
      socket.close();
    }
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
          .delete(`/connections/${b.userId}`)
          .set(...auth(a))
      ).body,
    ).toMatchObject({ statusCode: 404, code: 'not_connected' });
    // They can connect again.
    await connectUsers(api, b, a);
  });
});
