import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactDirectory } from '@app/common';
import { connectSocket, connectUsers, signUp, startTestApi, type TestApi } from '@test/support';

const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

describe('QR connect flow', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('connectUsers runs QR, scan and accept; both see each other as contacts', async () => {
    const [a, b] = await Promise.all([signUp(api), signUp(api)]);
    const ids = await connectUsers(api, a, b);
    expect(ids).toMatchObject({ aUserId: a.userId, bUserId: b.userId });
    expect(await api.app.get(ContactDirectory).canInteract(a.userId, b.userId)).toBe(true);
    const listA = await request(api.url)
      .get('/connections')
      .set(...auth(a));
    expect(listA.status).toBe(200);
    expect(listA.body.items.map((c: { userId: string }) => c.userId)).toEqual([b.userId]);
    const listB = await request(api.url)
      .get('/connections')
      .set(...auth(b));
    expect(listB.body.items.map((c: { userId: string }) => c.userId)).toEqual([a.userId]);
  });

  it('contacts carry presence: online while a socket of theirs is connected', async () => {
    const [a, b] = await Promise.all([signUp(api), signUp(api)]);
    await connectUsers(api, a, b);
    const offline = await request(api.url)
      .get('/connections')
      .set(...auth(a));
    expect(offline.body.items[0].presence).toMatchObject({ online: false });
    const socket = await connectSocket(api.url, b.accessToken);
    try {
      let online: unknown;
      for (let i = 0; i < 50 && !online; i++) {
        const res = await request(api.url)
          .get('/connections')
          .set(...auth(a));
        if (res.body.items[0].presence?.online) online = res.body.items[0].presence;
        else await new Promise((r) => setTimeout(r, 50));
      }
      expect(online).toMatchObject({ online: true });
    } finally {
      socket.close();
    }
  });
});
