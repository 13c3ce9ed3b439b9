import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRefusal, connectSocket, signUp, startTestApi, type TestApi } from '@test/support';

describe('signUp helper, global guard and socket authenticator', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('signs a new user in through the real routes', async () => {
    const user = await signUp(api, { deviceName: 'Test phone' });
    expect(user.userId).toMatch(/^[0-9a-f]{24}$/);
    expect(user.sessionId).toMatch(/^[0-9a-f]{24}$/);
    const me = await request(api.url).get('/users/me').set('Authorization', `Bearer ${user.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: user.userId, email: user.identifier, phone: null, createdAt: expect.any(String) });
  });

  it('signs many users up quickly and in parallel', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => signUp(api)));
    expect(new Set(users.map((u) => u.userId)).size).toBe(12);
  });

  it('signs an existing identifier back in to the same account', async () => {
    const first = await signUp(api, { identifier: '+44 7400 123456' });
    expect(first.identifier).toBe('+447400123456');
    const again = await signUp(api, { identifier: '+447400123456' });
    expect(again.userId).toBe(first.userId);
    expect(again.sessionId).not.toBe(first.sessionId);
  });

  it('refuses guarded routes without a valid token, and lets public ones through', async () => {
    const none = await request(api.url).get('/users/me');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'unauthorized' });
    const bad = await request(api.url).get('/users/me').set('Authorization', 'Bearer not.a.jwt');
    expect(bad.status).toBe(401);
    expect((await request(api.url).get('/health/live')).status).toBe(200);
    expect((await request(api.url).get('/auth/countries')).status).toBe(200);
  });

  it('authenticates sockets with the access token and refuses others', async () => {
    const user = await signUp(api);
    const socket = await connectSocket(api.url, user.accessToken);
    expect(socket.connected).toBe(true);
    socket.close();
    expect(await connectRefusal(api.url, 'garbage')).toBe('unauthorized');
  });

  it('documents every auth and users route in Swagger with examples and error responses', async () => {
    const doc = (await request(api.url).get('/docs-json')).body;
    const routes: Array<[string, string, string[]]> = [
      ['/auth/countries', 'get', ['200']],
      ['/auth/otp/request', 'post', ['202', '400', '429', '503']],
      ['/auth/otp/verify', 'post', ['200', '400', '401']],
      ['/auth/refresh', 'post', ['200', '400', '401']],
      ['/auth/logout', 'post', ['204', '401']],
      ['/auth/sessions', 'get', ['200', '401']],
      ['/auth/sessions/{id}', 'delete', ['204', '401', '404']],
      ['/users/me', 'get', ['200', '401']],
      ['/users/me', 'delete', ['204', '401']],
      ['/users/{id}', 'get', ['200', '401', '404']],
      ['/users/me/identifiers/request', 'post', ['202', '401', '429']],
      ['/users/me/identifiers/verify', 'post', ['200', '401', '409']],
    ];
    for (const [path, method, statuses] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(statuses));
    }
    expect(doc.paths['/auth/otp/request'].post.security).toEqual([]);
    expect(doc.components.schemas.VerifyOtpDto.properties.code.example).toBe('042917');
    expect(doc.paths['/auth/otp/verify'].post.responses['401'].content['application/json'].examples).toHaveProperty('otp_burned');
  });
});
