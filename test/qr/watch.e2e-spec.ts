import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  emitWithAck,
  nextEvent,
  noEvent,
  signUp,
  type SignedUpUser,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';

const TTL_SECONDS = 10; // the floor of QR_TTL_SECONDS; a watched code is replaced 1 s before it expires
const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];
const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

interface Code {
  token: string;
  expiresAt: string;
  qr: string;
}

// Two api processes: watchers and scanners sit on different ones.
describe('qr:watch (two api processes)', () => {
  let api: TestApi;
  let second: ApiProcess;
  const sockets = socketPool();
  const scan = (u: SignedUpUser, token: string): request.Test =>
    request(api.url)
      .post('/qr/scan')
      .set(...auth(u))
      .send({ token });
  /** The owner's codes that would still scan. */
  const liveCodes = async (owner: string): Promise<string[]> =>
    (
      await api.connection
        .collection('qr_tokens')
        .find({ owner, usedAt: { $exists: false }, replacedAt: { $exists: false }, expiresAt: { $gt: new Date() } })
        .toArray()
    ).map((d) => String(d._id));
  const codesOf = (owner: string): Promise<number> => api.connection.collection('qr_tokens').countDocuments({ owner });

  beforeAll(async () => {
    api = await startTestApi({ QR_TTL_SECONDS: String(TTL_SECONDS) });
    second = await startApiProcess(api.env);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await second?.stop();
    await api.close();
  });

  it('acks a fresh code as POST /qr gives it, and pushes qr:scanned the moment another user scans it on another process', async () => {
    const [owner, scanner] = await Promise.all([signUp(api), signUp(api)]);
    const socket = await sockets.connect(second.url, owner.accessToken);
    const ack = await emitWithAck<Code>(socket, 'qr:watch', { format: 'svg' });
    expect(ack.ok).toBe(true);
    const code = (ack as { data: Code }).data;
    expect(code).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(String),
      qr: expect.stringMatching(/<svg/),
    });
    expect(await liveCodes(owner.userId)).toEqual([hash(code.token)]);

    const scanned = nextEvent<{ requestId: string; fromUserId: string }>(socket, 'qr:scanned');
    const res = await scan(scanner, code.token);
    expect(res.status).toBe(201);
    expect(await scanned).toEqual({ requestId: res.body.id, fromUserId: scanner.userId });
    // The scanned code is spent: a second scan is refused.
    const again = await scan(scanner, code.token);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('qr_used');
    expect((await emitWithAck(socket, 'qr:watch', { format: 'gif' })).ok).toBe(false);
  });

  it('rotates before expiry to every watching device of the owner, leaving exactly one valid code; unwatch and disconnect stop it', async () => {
    const phone = await signUp(api, { deviceName: 'phone' });
    const tablet = await signUp(api, { identifier: phone.identifier, deviceName: 'tablet' });
    const [quitter, leaver, scanner] = await Promise.all([signUp(api), signUp(api), signUp(api)]);
    const phoneSocket = await sockets.connect(api.url, phone.accessToken);
    const tabletSocket = await sockets.connect(second.url, tablet.accessToken);
    const quitterSocket = await sockets.connect(second.url, quitter.accessToken);
    const leaverSocket = await sockets.connect(api.url, leaver.accessToken);

    const first = ((await emitWithAck<Code>(phoneSocket, 'qr:watch', {})) as { data: Code }).data;
    // The tablet's watch makes a new code, which replaces the phone's: the phone is shown it at once.
    const phoneSwitched = nextEvent<Code>(phoneSocket, 'qr:rotated');
    const current = ((await emitWithAck<Code>(tabletSocket, 'qr:watch', {})) as { data: Code }).data;
    expect((await phoneSwitched).token).toBe(current.token);
    expect(await liveCodes(phone.userId)).toEqual([hash(current.token)]);
    expect(current.qr).toMatch(/^data:image\/png;base64,/);

    expect((await emitWithAck(quitterSocket, 'qr:watch', {})).ok).toBe(true);
    expect(await emitWithAck(quitterSocket, 'qr:unwatch')).toEqual({ ok: true, data: null });
    expect((await emitWithAck(leaverSocket, 'qr:watch', {})).ok).toBe(true);
    leaverSocket.close();

    const differs = (c: Code): boolean => c.token !== current.token;
    const waitMs = TTL_SECONDS * 1000 + 5000;
    const quitterQuiet = noEvent(quitterSocket, 'qr:rotated', TTL_SECONDS * 1000);
    const [onPhone, onTablet] = await Promise.all([
      nextEvent<Code>(phoneSocket, 'qr:rotated', waitMs, differs),
      nextEvent<Code>(tabletSocket, 'qr:rotated', waitMs, differs),
    ]);
    // Before the code on screen expired, both devices were shown the same new one, and only it scans.
    expect(Date.now()).toBeLessThan(new Date(current.expiresAt).getTime());
    expect(onTablet).toEqual(onPhone);
    expect(new Date(onPhone.expiresAt).getTime()).toBeGreaterThan(new Date(current.expiresAt).getTime());
    expect(await liveCodes(phone.userId)).toEqual([hash(onPhone.token)]);
    // One rotation for the two watching devices: first, current, and the rotated code.
    expect(await codesOf(phone.userId)).toBe(3);
    for (const old of [first.token, current.token]) {
      const res = await scan(scanner, old);
      expect(res.status).toBe(410);
      expect(res.body.code).toBe('qr_replaced');
    }
    expect((await scan(scanner, onPhone.token)).status).toBe(201);

    expect(await quitterQuiet).toBe(true);
    expect(await codesOf(quitter.userId)).toBe(1);
    expect(await codesOf(leaver.userId)).toBe(1);
  });

  it('POST /qr replaces the watched code and shows the new one on the watching screen', async () => {
    const owner = await signUp(api);
    const socket = await sockets.connect(second.url, owner.accessToken);
    expect((await emitWithAck(socket, 'qr:watch', {})).ok).toBe(true);
    const pushed = nextEvent<Code>(socket, 'qr:rotated');
    const res = await request(api.url)
      .post('/qr')
      .set(...auth(owner));
    expect(res.status).toBe(201);
    expect((await pushed).token).toBe(res.body.token);
  });
});
