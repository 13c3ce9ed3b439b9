import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  connectRefusal,
  connectSocket,
  noEvent,
  signUp,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
  waitForDisconnect,
} from '@test/support';

/**
 * The real gateway (JWT handshake) with two api processes sharing one database and Redis: this test's
 * in-process api and a compiled one (`nest build` first) on another port.
 */
describe('realtime gateway across two api processes', () => {
  let api: TestApi;
  let other: ApiProcess;
  let otherUrl: string;
  const sockets = socketPool();
  const track = sockets.track;

  beforeAll(async () => {
    api = await startTestApi();
    other = await startApiProcess(api.env);
    otherUrl = other.url;
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await api?.close();
  });

  it('refuses a missing, forged or revoked token at the handshake, on either process', async () => {
    const user = await signUp(api);
    expect(await connectRefusal(api.url, '')).toBe('unauthorized');
    expect(await connectRefusal(otherUrl, user.accessToken.slice(0, -4) + 'AAAA')).toBe('unauthorized');
    const logout = await request(api.url).post('/auth/logout').set('Authorization', `Bearer ${user.accessToken}`);
    expect(logout.status).toBeLessThan(300);
    // The access token has not expired, but its session is revoked: refused everywhere at once.
    expect(await connectRefusal(api.url, user.accessToken)).toBe('session_revoked');
    expect(await connectRefusal(otherUrl, user.accessToken)).toBe('session_revoked');
  });

  it("logout on one process drops that session's socket on the other, and only that session's", async () => {
    const phone = await signUp(api, { deviceName: 'phone' });
    const laptop = await signUp(api, { identifier: phone.identifier, deviceName: 'laptop' });
    expect(laptop.userId).toBe(phone.userId);
    const phoneSocket = track(await connectSocket(otherUrl, phone.accessToken));
    const laptopSocket = track(await connectSocket(otherUrl, laptop.accessToken));
    const dropped = waitForDisconnect(phoneSocket);
    const logout = await request(api.url).post('/auth/logout').set('Authorization', `Bearer ${phone.accessToken}`);
    expect(logout.status).toBeLessThan(300);
    expect(await dropped).toBe('io server disconnect');
    expect(await noEvent(laptopSocket, 'disconnect', 500)).toBe(true);
    expect(laptopSocket.connected).toBe(true);
  });

  it("a session deleted on one process drops its socket on the other; an account deleted there drops all the user's sockets", async () => {
    const phone = await signUp(api, { deviceName: 'phone' });
    const laptop = await signUp(api, { identifier: phone.identifier, deviceName: 'laptop' });
    const phoneSocket = track(await connectSocket(otherUrl, phone.accessToken));
    const laptopSocket = track(await connectSocket(otherUrl, laptop.accessToken));

    const phoneDropped = waitForDisconnect(phoneSocket);
    const laptopStays = noEvent(laptopSocket, 'disconnect', 500);
    const del = await request(api.url).delete(`/auth/sessions/${phone.sessionId}`).set('Authorization', `Bearer ${laptop.accessToken}`);
    expect(del.status).toBe(204);
    expect(await phoneDropped).toBe('io server disconnect');
    expect(await laptopStays).toBe(true);
    expect(await connectRefusal(otherUrl, phone.accessToken)).toBe('session_revoked');

    const laptopDropped = waitForDisconnect(laptopSocket);
    const gone = await request(api.url).delete('/users/me').set('Authorization', `Bearer ${laptop.accessToken}`);
    expect(gone.status).toBe(204);
    expect(await laptopDropped).toBe('io server disconnect');
    expect(await connectRefusal(otherUrl, laptop.accessToken)).toBe('session_revoked');
  });
});
