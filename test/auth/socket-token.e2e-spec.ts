import { SignJWT } from 'jose';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
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
  waitForDisconnect,
} from '@test/support';

const GRACE_SECONDS = 2;

/** Events of `socket` in arrival order, `disconnect` included. */
function record(socket: Socket): string[] {
  const seen: string[] = [];
  socket.onAny((event: string) => seen.push(event));
  socket.on('disconnect', () => seen.push('disconnect'));
  return seen;
}

// Two api processes: sockets sit on the second, HTTP calls (logout, revoke) go to the first.
describe('socket token lifetime and session revocation (two api processes)', () => {
  let api: TestApi;
  let second: ApiProcess;
  const sockets = socketPool();

  /** An access token of `user`'s own session that expires in `seconds` (JWT_ACCESS_TTL_SECONDS has a 30 s floor). */
  const shortToken = (user: SignedUpUser, seconds: number): Promise<string> =>
    new SignJWT({ sid: user.sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.userId)
      .setIssuer(api.config.auth.issuer)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
      .sign(new TextEncoder().encode(api.env.JWT_SECRET));

  beforeAll(async () => {
    api = await startTestApi({ SOCKET_TOKEN_GRACE_SECONDS: String(GRACE_SECONDS) });
    second = await startApiProcess(api.env);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await second?.stop();
    await api.close();
  });

  it('auth:refresh with a fresh token of the same session keeps the socket alive past its first token', async () => {
    const user = await signUp(api);
    const socket = await sockets.connect(second.url, await shortToken(user, 2));
    const ack = await emitWithAck<{ expiresAt: string }>(socket, 'auth:refresh', { accessToken: user.accessToken });
    expect(ack.ok).toBe(true);
    const real = JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString()) as { exp: number };
    expect(ack.ok && ack.data).toEqual({ expiresAt: new Date(real.exp * 1000).toISOString() });
    // Past the first token's expiry and the grace period: neither the warning nor the cut comes.
    expect(await noEvent(socket, 'auth:expired', (2 + GRACE_SECONDS + 1) * 1000)).toBe(true);
    expect(socket.connected).toBe(true);
    expect((await emitWithAck(socket, 'profile:sync', {})).ok).toBe(true);
  });

  it('a socket that does not refresh hears auth:expired, may then only refresh, and is dropped after the grace period', async () => {
    const user = await signUp(api);
    const socket = await sockets.connect(second.url, await shortToken(user, 2));
    const expired = await nextEvent<{ expiredAt: string; disconnectAt: string }>(socket, 'auth:expired', 10_000);
    expect(new Date(expired.disconnectAt).getTime() - new Date(expired.expiredAt).getTime()).toBe(GRACE_SECONDS * 1000);
    const dropped = waitForDisconnect(socket, 10_000);
    const refused = await emitWithAck(socket, 'profile:sync', {});
    expect(refused).toEqual({ ok: false, error: { code: 'token_expired', message: expect.stringContaining('auth:refresh') } });
    expect(await dropped).toBe('io server disconnect');
  });

  it('refuses a token of another session, an expired one, and a payload that is no token', async () => {
    const user = await signUp(api);
    const otherDevice = await signUp(api, { identifier: user.identifier });
    const socket = await sockets.connect(second.url, user.accessToken);
    const mismatch = await emitWithAck(socket, 'auth:refresh', { accessToken: otherDevice.accessToken });
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'session_mismatch' } });
    const stale = await emitWithAck(socket, 'auth:refresh', { accessToken: await shortToken(user, -5) });
    expect(stale).toMatchObject({ ok: false, error: { code: 'token_expired' } });
    const junk = await emitWithAck(socket, 'auth:refresh', { accessToken: 'nope' });
    expect(junk).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { accessToken: expect.any(Array) } } });
    expect(socket.connected).toBe(true);
  });

  it('logout sends session:revoked to the session sockets on the other process before cutting them; other devices stay', async () => {
    const phone = await signUp(api, { deviceName: 'phone' });
    const laptop = await signUp(api, { identifier: phone.identifier, deviceName: 'laptop' });
    const phoneSocket = await sockets.connect(second.url, phone.accessToken);
    const laptopSocket = await sockets.connect(second.url, laptop.accessToken);
    const phoneEvents = record(phoneSocket);
    const revoked = nextEvent(phoneSocket, 'session:revoked');
    const dropped = waitForDisconnect(phoneSocket);
    const laptopQuiet = noEvent(laptopSocket, 'session:revoked', 1500);
    expect((await request(api.url).post('/auth/logout').set('Authorization', `Bearer ${phone.accessToken}`)).status).toBe(204);
    expect(await revoked).toEqual({ sessionId: phone.sessionId, reason: 'logout' });
    expect(await dropped).toBe('io server disconnect');
    expect(phoneEvents).toEqual(['session:revoked', 'disconnect']);
    expect(await laptopQuiet).toBe(true);
    expect(laptopSocket.connected).toBe(true);
  });

  it('a session revoked from another device hears why (revoked_by_user) before it is cut', async () => {
    const phone = await signUp(api, { deviceName: 'phone' });
    const laptop = await signUp(api, { identifier: phone.identifier, deviceName: 'laptop' });
    const laptopSocket = await sockets.connect(second.url, laptop.accessToken);
    const events = record(laptopSocket);
    const revoked = nextEvent(laptopSocket, 'session:revoked');
    const dropped = waitForDisconnect(laptopSocket);
    const res = await request(api.url).delete(`/auth/sessions/${laptop.sessionId}`).set('Authorization', `Bearer ${phone.accessToken}`);
    expect(res.status).toBe(204);
    expect(await revoked).toEqual({ sessionId: laptop.sessionId, reason: 'revoked_by_user' });
    expect(await dropped).toBe('io server disconnect');
    expect(events).toEqual(['session:revoked', 'disconnect']);
  });
});
