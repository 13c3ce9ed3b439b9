import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSocket,
  connectUsers,
  nextEvent,
  noEvent,
  runProcess,
  type RunningProcess,
  signUp,
  startTestApi,
  type TestApi,
} from '@test/support';

const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

// The fan-out runs as a job in the worker (profile module), so a real worker process runs beside the api.
describe('profile updates to connections', () => {
  let api: TestApi;
  let worker: RunningProcess;
  beforeAll(async () => {
    api = await startTestApi();
    worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    await worker.waitFor(/worker ready/);
  });
  afterAll(async () => {
    await worker?.stop();
    await api.close();
  });

  it('GET /connections shows the public profile with privacy applied', async () => {
    const [me, friend] = await Promise.all([signUp(api), signUp(api)]);
    const http = request(api.url);
    expect(
      (
        await http
          .patch('/profile')
          .set(...auth(friend))
          .send({ name: 'Ada', about: 'At the library' })
      ).status,
    ).toBe(200);
    await connectUsers(api, me, friend);
    const shown = await http.get('/connections').set(...auth(me));
    expect(shown.body.items[0].profile).toEqual({ userId: friend.userId, name: 'Ada', about: 'At the library' });
    expect(
      (
        await http
          .patch('/profile/privacy')
          .set(...auth(friend))
          .send({ about: 'nobody' })
      ).status,
    ).toBe(200);
    const hidden = await http.get('/connections').set(...auth(me));
    expect(hidden.body.items[0].profile).toEqual({ userId: friend.userId, name: 'Ada' });
  });

  it('a profile change reaches connections as profile:update, each with what they may see; strangers and blocked users get nothing', async () => {
    const [owner, friend, stranger, blocked] = await Promise.all([signUp(api), signUp(api), signUp(api), signUp(api)]);
    const http = request(api.url);
    await connectUsers(api, owner, friend);
    await connectUsers(api, owner, blocked);
    expect((await http.post(`/blocks/${blocked.userId}`).set(...auth(owner))).status).toBe(201);
    const sockets = await Promise.all([friend, stranger, blocked].map((u) => connectSocket(api.url, u.accessToken)));
    try {
      const [friendSocket, strangerSocket, blockedSocket] = sockets;
      const got = nextEvent<{ userId: string; profile: object }>(friendSocket, 'profile:update', 5000, (p) => p.userId === owner.userId);
      const strangerGot = noEvent(strangerSocket, 'profile:update', 1500);
      const blockedGot = noEvent(blockedSocket, 'profile:update', 1500);
      expect(
        (
          await http
            .patch('/profile')
            .set(...auth(owner))
            .send({ name: 'Grace', about: 'Compiling' })
        ).status,
      ).toBe(200);
      expect(await got).toEqual({ userId: owner.userId, profile: { userId: owner.userId, name: 'Grace', about: 'Compiling' } });
      expect(await strangerGot).toBe(true);
      expect(await blockedGot).toBe(true);
    } finally {
      for (const s of sockets) s.close();
    }
  });
});
