import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRefusal, connectSocket, signUp, startTestApi, type TestApi, waitForDisconnect } from '@test/support';

describe('tokens and sessions', () => {
  let api: TestApi;
  const me = (token: string): request.Test => request(api.url).get('/users/me').set('Authorization', `Bearer ${token}`);
  const refresh = (refreshToken: string): request.Test => request(api.url).post('/auth/refresh').send({ refreshToken });

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('rotates the refresh token on every refresh', async () => {
    const user = await signUp(api);
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.stringMatching(/^rt_/) });
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect((await me(first.body.accessToken)).status).toBe(200);
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
  });

  it('revokes the session when an already-rotated refresh token is presented again', async () => {
    const user = await signUp(api);
    const rotated = await refresh(user.refreshToken).expect(200);
    const reuse = await refresh(user.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('refresh_token_reused');
    // The whole session is gone: the newest refresh token and the still-unexpired access tokens too.
    const newest = await refresh(rotated.body.refreshToken);
    expect(newest.status).toBe(401);
    expect(newest.body.code).toBe('session_revoked');
    for (const token of [user.accessToken, rotated.body.accessToken]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('session_revoked');
    }
    expect(await connectRefusal(api.url, rotated.body.accessToken)).toBe('session_revoked');
  });

  it('refuses unknown refresh tokens', async () => {
    const res = await refresh('rt_not-a-real-token-at-all');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_refresh_token');
  });

  it('logout revokes the session and disconnects its live socket, not the other device', async () => {
    const phone = await signUp(api, { deviceName: 'phone' });
    const laptop = await signUp(api, { identifier: phone.identifier, deviceName: 'laptop' });
    const phoneSocket = await connectSocket(api.url, phone.accessToken);
    const laptopSocket = await connectSocket(api.url, laptop.accessToken);
    try {
      const disconnected = waitForDisconnect(phoneSocket);
      const out = await request(api.url).post('/auth/logout').set('Authorization', `Bearer ${phone.accessToken}`);
      expect(out.status).toBe(204);
      expect(await disconnected).toBe('io server disconnect');
      expect(laptopSocket.connected).toBe(true);
      expect((await me(phone.accessToken)).body.code).toBe('session_revoked');
      expect((await refresh(phone.refreshToken)).body.code).toBe('session_revoked');
      expect(await connectRefusal(api.url, phone.accessToken)).toBe('session_revoked');
      expect((await me(laptop.accessToken)).status).toBe(200);
    } finally {
      phoneSocket.close();
      laptopSocket.close();
    }
  });

  it('lists sessions with device, times and the current flag, and revokes one at once', async () => {
    const a = await signUp(api, { deviceName: 'Pixel 8' });
    const b = await signUp(api, { identifier: a.identifier, deviceName: 'iPad' });
    const list = await request(api.url).get('/auth/sessions').set('Authorization', `Bearer ${a.accessToken}`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    expect(list.body).toEqual(
      expect.arrayContaining([
        { id: a.sessionId, deviceName: 'Pixel 8', createdAt: expect.any(String), lastUsedAt: expect.any(String), current: true },
        { id: b.sessionId, deviceName: 'iPad', createdAt: expect.any(String), lastUsedAt: expect.any(String), current: false },
      ]),
    );
    const socket = await connectSocket(api.url, b.accessToken);
    const dropped = waitForDisconnect(socket);
    const del = await request(api.url).delete(`/auth/sessions/${b.sessionId}`).set('Authorization', `Bearer ${a.accessToken}`);
    expect(del.status).toBe(204);
    await dropped;
    expect((await me(b.accessToken)).body.code).toBe('session_revoked');
    const after = await request(api.url).get('/auth/sessions').set('Authorization', `Bearer ${a.accessToken}`);
    expect(after.body.map((s: { id: string }) => s.id)).toEqual([a.sessionId]);
  });

  it("cannot revoke another user's session", async () => {
    const a = await signUp(api);
    const b = await signUp(api);
    const del = await request(api.url).delete(`/auth/sessions/${b.sessionId}`).set('Authorization', `Bearer ${a.accessToken}`);
    expect(del.status).toBe(404);
    expect(del.body.code).toBe('session_not_found');
    expect((await me(b.accessToken)).status).toBe(200);
    const bad = await request(api.url).delete('/auth/sessions/not-an-id').set('Authorization', `Bearer ${a.accessToken}`);
    expect(bad.status).toBe(400);
  });

  it('refuses tokens with another algorithm, issuer or secret', async () => {
    const user = await signUp(api);
    const [, payload] = user.accessToken.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    expect((await me(none)).status).toBe(401);
    const { JwtService } = await import('@nestjs/jwt');
    const jwt = new JwtService();
    const claims = { sub: user.userId, sid: user.sessionId };
    const otherIssuer = await jwt.signAsync(claims, { secret: api.env.JWT_SECRET, issuer: 'someone-else', expiresIn: 60 });
    const otherSecret = await jwt.signAsync(claims, { secret: 'x'.repeat(40), issuer: 'messaging-backend', expiresIn: 60 });
    const expired = await jwt.signAsync(
      { ...claims, exp: Math.floor(Date.now() / 1000) - 10 },
      { secret: api.env.JWT_SECRET, issuer: 'messaging-backend' },
    );
    expect((await me(otherIssuer)).status).toBe(401);
    expect((await me(otherSecret)).status).toBe(401);
    const exp = await me(expired);
    expect(exp.status).toBe(401);
    expect(exp.body.code).toBe('token_expired');
    const valid = await jwt.signAsync(claims, { secret: api.env.JWT_SECRET, issuer: 'messaging-backend', expiresIn: 60 });
    expect((await me(valid)).status).toBe(200);
  });
});
