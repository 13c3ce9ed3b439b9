import request from 'supertest';
import { Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Ack,
  type ApiProcess,
  emitWithAck,
  nextEvent,
  signUp,
  type SignedUpUser,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';

const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

// The receiver answers over a socket on the second api process; the sender listens on the first.
describe('connection:respond (two api processes)', () => {
  let api: TestApi;
  let second: ApiProcess;
  const sockets = socketPool();
  const http = (): ReturnType<typeof request> => request(api.url);
  /** `scanner` scans a fresh code of `owner`: a pending request from scanner to owner. */
  const requestTo = async (owner: SignedUpUser, scanner: SignedUpUser): Promise<string> => {
    const qr = await http()
      .post('/qr')
      .set(...auth(owner));
    const res = await http()
      .post('/qr/scan')
      .set(...auth(scanner))
      .send({ token: qr.body.token });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const rest = (u: SignedUpUser, id: string, accept: boolean): request.Test =>
    http()
      .post(`/connections/requests/${id}/${accept ? 'accept' : 'reject'}`)
      .set(...auth(u));
  /** A REST error as the socket ack shows it. */
  const asAck = (res: request.Response): Ack => ({ ok: false, error: { code: res.body.code, message: res.body.message } });

  beforeAll(async () => {
    api = await startTestApi();
    second = await startApiProcess(api.env);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await second?.stop();
    await api.close();
  });

  it('accepts like POST .../accept: same answer, both connected, the sender hears connection:accepted', async () => {
    const [owner, scanner, owner2, scanner2] = await Promise.all([signUp(api), signUp(api), signUp(api), signUp(api)]);
    await http()
      .patch('/profile')
      .set(...auth(scanner))
      .send({ name: 'Scanner' });
    const [viaSocket, viaRest] = await Promise.all([requestTo(owner, scanner), requestTo(owner2, scanner2)]);
    const ownerSocket = await sockets.connect(second.url, owner.accessToken);
    const scannerSocket = await sockets.connect(api.url, scanner.accessToken);
    const heard = nextEvent<{ requestId: string; userId: string }>(scannerSocket, 'connection:accepted');

    const ack = await emitWithAck<{ request: { id: string; status: string }; contact: { userId: string; profile: unknown } }>(
      ownerSocket,
      'connection:respond',
      { requestId: viaSocket, accept: true },
    );
    expect(ack).toMatchObject({
      ok: true,
      data: {
        request: { id: viaSocket, fromUserId: scanner.userId, toUserId: owner.userId, status: 'accepted' },
        contact: { userId: scanner.userId, profile: { userId: scanner.userId, name: 'Scanner' } },
      },
    });
    expect(await heard).toMatchObject({ requestId: viaSocket, userId: owner.userId });
    const contacts = await http()
      .get('/connections')
      .set(...auth(owner));
    expect(contacts.body.items.map((c: { userId: string }) => c.userId)).toEqual([scanner.userId]);

    // The REST route answers the same shape.
    const byRest = await rest(owner2, viaRest, true);
    expect(byRest.status).toBe(200);
    const data = (ack as { data: Record<string, Record<string, unknown>> }).data;
    expect(Object.keys(byRest.body).sort()).toEqual(Object.keys(data).sort());
    expect(Object.keys(byRest.body.contact).sort()).toEqual(Object.keys(data.contact).sort());

    // Answering twice: the same refusal as REST.
    const twice = await emitWithAck(ownerSocket, 'connection:respond', { requestId: viaSocket, accept: true });
    expect(twice).toEqual(asAck(await rest(owner, viaSocket, true)));
    expect(twice).toMatchObject({ error: { code: 'request_not_pending' } });
  });

  it('rejects like POST .../reject: the request back, the sender hears connection:rejected, no connection', async () => {
    const [owner, scanner] = await Promise.all([signUp(api), signUp(api)]);
    const id = await requestTo(owner, scanner);
    const ownerSocket = await sockets.connect(second.url, owner.accessToken);
    const scannerSocket = await sockets.connect(api.url, scanner.accessToken);
    const heard = nextEvent<{ requestId: string; userId: string }>(scannerSocket, 'connection:rejected');
    const ack = await emitWithAck(ownerSocket, 'connection:respond', { requestId: id, accept: false });
    expect(ack).toEqual({
      ok: true,
      data: {
        id,
        fromUserId: scanner.userId,
        toUserId: owner.userId,
        status: 'rejected',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      },
    });
    expect(await heard).toEqual({ requestId: id, userId: owner.userId });
    const contacts = await http()
      .get('/connections')
      .set(...auth(owner));
    expect(contacts.body.items).toEqual([]);
  });

  it('refuses what REST refuses, with the same codes: not the receiver, unknown, expired, malformed', async () => {
    const [owner, scanner, stranger] = await Promise.all([signUp(api), signUp(api), signUp(api)]);
    const id = await requestTo(owner, scanner);
    const scannerSocket = await sockets.connect(second.url, scanner.accessToken);
    const strangerSocket = await sockets.connect(second.url, stranger.accessToken);
    const ownerSocket = await sockets.connect(second.url, owner.accessToken);

    const notReceiver = await emitWithAck(scannerSocket, 'connection:respond', { requestId: id, accept: true });
    expect(notReceiver).toEqual(asAck(await rest(scanner, id, true)));
    expect(notReceiver).toMatchObject({ error: { code: 'not_receiver' } });

    const unknown = await emitWithAck(strangerSocket, 'connection:respond', { requestId: id, accept: false });
    expect(unknown).toEqual(asAck(await rest(stranger, id, false)));
    expect(unknown).toMatchObject({ error: { code: 'request_not_found' } });

    await api.connection
      .collection('connection_requests')
      .updateOne({ _id: new Types.ObjectId(id) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await emitWithAck(ownerSocket, 'connection:respond', { requestId: id, accept: true });
    expect(expired).toEqual(asAck(await rest(owner, id, true)));
    expect(expired).toMatchObject({ error: { code: 'request_expired' } });

    const malformed = await emitWithAck(ownerSocket, 'connection:respond', { requestId: 'nope', accept: 'yes' });
    expect(malformed).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', fields: { requestId: expect.any(Array), accept: expect.any(Array) } },
    });
  });
});
