import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, connectUsers, nextEvent, signUp, type SignedUpUser, startTestApi, type TestApi } from '@test/support';

const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

describe('QR codes', () => {
  let api: TestApi;
  const http = (): ReturnType<typeof request> => request(api.url);
  const newQr = async (u: SignedUpUser, query = ''): Promise<{ token: string; expiresAt: string; qr: string }> => {
    const res = await http()
      .post(`/qr${query}`)
      .set(...auth(u));
    expect(res.status).toBe(201);
    return res.body;
  };
  const scan = (u: SignedUpUser, token: string): request.Test =>
    http()
      .post('/qr/scan')
      .set(...auth(u))
      .send({ token });

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('POST /qr returns a 2-minute single-use token and a PNG data URL (SVG on request); only the hash is stored', async () => {
    const a = await signUp(api);
    const before = Date.now();
    const png = await newQr(a);
    expect(Buffer.from(png.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const ttl = new Date(png.expiresAt).getTime() - before;
    expect(ttl).toBeGreaterThan(115_000);
    expect(ttl).toBeLessThanOrEqual(121_000);
    expect(png.qr).toMatch(/^data:image\/png;base64,/);
    expect(Buffer.from(png.qr.split(',')[1], 'base64').subarray(1, 4).toString()).toBe('PNG');

    const svg = await newQr(a, '?format=svg');
    expect(svg.qr).toMatch(/<svg[\s\S]*<\/svg>/);
    expect(
      (
        await http()
          .post('/qr?format=gif')
          .set(...auth(a))
      ).status,
    ).toBe(400);
    expect((await http().post('/qr')).status).toBe(401);

    const stored = await api.connection.collection('qr_tokens').find({ owner: a.userId }).toArray();
    expect(stored.map((d) => d._id)).toContain(createHash('sha256').update(svg.token).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(svg.token);
  });

  it('a scan creates a pending request from the scanner to the owner, who hears connection:request', async () => {
    const [owner, scanner] = await Promise.all([signUp(api), signUp(api)]);
    const socket = await connectSocket(api.url, owner.accessToken);
    try {
      const { token } = await newQr(owner);
      const event = nextEvent<{ id: string }>(socket, 'connection:request');
      const res = await scan(scanner, token);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ fromUserId: scanner.userId, toUserId: owner.userId, status: 'pending' });
      expect(res.body.id).toMatch(/^[0-9a-f]{24}$/);
      const days = (new Date(res.body.expiresAt).getTime() - new Date(res.body.createdAt).getTime()) / 86_400_000;
      expect(days).toBe(7);
      expect(await event).toEqual(res.body);
    } finally {
      socket.close();
    }
  });

  it('answers each failure distinctly: unknown 404, own 400, used 409, expired 410, replaced 410, connected 409, pending 409', async () => {
    const [owner, s1, s2, s3] = await Promise.all([signUp(api), signUp(api), signUp(api), signUp(api)]);
    expect((await scan(s1, 'no-such-token')).body).toMatchObject({ statusCode: 404, code: 'qr_not_found' });
    expect((await scan(s1, 'bad token!')).status).toBe(400);

    const own = await newQr(owner);
    expect((await scan(owner, own.token)).body).toMatchObject({ statusCode: 400, code: 'qr_own_code' });

    expect((await scan(s1, own.token)).status).toBe(201);
    expect((await scan(s2, own.token)).body).toMatchObject({ statusCode: 409, code: 'qr_used' });

    // Expired in the database, cleanup job never run: still refused.
    const old = await newQr(owner);
    await api.connection
      .collection('qr_tokens')
      .updateOne(
        { _id: createHash('sha256').update(old.token).digest('hex') as never },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      );
    expect((await scan(s2, old.token)).body).toMatchObject({ statusCode: 410, code: 'qr_expired' });

    const first = await newQr(owner);
    const second = await newQr(owner);
    expect((await scan(s2, first.token)).body).toMatchObject({ statusCode: 410, code: 'qr_replaced' });

    // s1 already has a pending request to owner.
    expect((await scan(s1, second.token)).body).toMatchObject({ statusCode: 409, code: 'request_pending' });

    await connectUsers(api, owner, s3);
    const third = await newQr(owner);
    expect((await scan(s3, third.token)).body).toMatchObject({ statusCode: 409, code: 'already_connected' });
    // Refused scans do not use up the code.
    expect((await scan(s2, third.token)).status).toBe(201);
  });

  it('50 concurrent scans of one token by 50 users make exactly one request', async () => {
    const owner = await signUp(api);
    const scanners: SignedUpUser[] = [];
    for (let i = 0; i < 5; i++) scanners.push(...(await Promise.all(Array.from({ length: 10 }, () => signUp(api)))));
    const { token } = await newQr(owner);
    const results = await Promise.all(scanners.map((s) => scan(s, token)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'qr_used')).toBe(true);
    expect(await api.connection.collection('connection_requests').countDocuments({ to: owner.userId })).toBe(1);
  });

  it('a block either way is answered like an unknown code', async () => {
    const [a, b] = await Promise.all([signUp(api), signUp(api)]);
    expect(
      (
        await http()
          .post(`/blocks/${b.userId}`)
          .set(...auth(a))
      ).status,
    ).toBe(201);
    const ofA = await newQr(a);
    const ofB = await newQr(b);
    expect((await scan(b, ofA.token)).body).toMatchObject({ statusCode: 404, code: 'qr_not_found', message: 'Unknown QR code' });
    expect((await scan(a, ofB.token)).body).toMatchObject({ statusCode: 404, code: 'qr_not_found', message: 'Unknown QR code' });
    expect(await api.connection.collection('connection_requests').countDocuments({ from: { $in: [a.userId, b.userId] } })).toBe(0);
  });
});
