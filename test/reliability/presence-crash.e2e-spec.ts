import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectUsers, nextEvent, type SignedUpUser, signUp, socketPool, startApiProcess, startTestApi, type TestApi } from '@test/support';

interface PresenceUpdate {
  userId: string;
  online: boolean;
  lastSeen: string | null;
}

const GRACE_MS = 400;
const OFFLINE_AFTER_MS = 2000;
const ENV = { PRESENCE_GRACE_MS: String(GRACE_MS), PRESENCE_OFFLINE_AFTER_MS: String(OFFLINE_AFTER_MS) };

/** Defect 3 of issue 17: a user who had been online before must not get back that old lastSeen after a kill -9. */
describe('presence after kill -9 of an api process, for a returning user', () => {
  let api: TestApi;
  const sockets = socketPool();
  const open = (url: string, user: SignedUpUser): Promise<Socket> => sockets.connect(url, user.accessToken);
  const about = (user: SignedUpUser, online: boolean) => (e: PresenceUpdate) => e.userId === user.userId && e.online === online;

  beforeAll(async () => {
    api = await startTestApi(ENV);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await api?.close();
  });

  it('sets lastSeen to the dead process heartbeat, not the end of the previous session', async () => {
    const [a, b] = await Promise.all([signUp(api), signUp(api)]);
    await connectUsers(api, a, b);
    const bSocket = await open(api.url, b);

    const doomed = await startApiProcess(api.env);
    // A previous session that ended normally: lastSeen = when it closed.
    let online = nextEvent<PresenceUpdate>(bSocket, 'presence:update', 5000, about(a, true));
    const first = await open(doomed.url, a);
    await online;
    let offline = nextEvent<PresenceUpdate>(bSocket, 'presence:update', 5000, about(a, false));
    first.close();
    const previous = Date.parse((await offline).lastSeen!);

    // Some time later the user is back, on a process that is then killed.
    await new Promise((r) => setTimeout(r, 1000));
    try {
      online = nextEvent<PresenceUpdate>(bSocket, 'presence:update', 5000, about(a, true));
      await open(doomed.url, a);
      await online;
      await new Promise((r) => setTimeout(r, OFFLINE_AFTER_MS / 2)); // a few heartbeats of the session
      offline = nextEvent<PresenceUpdate>(bSocket, 'presence:update', OFFLINE_AFTER_MS + 3000, about(a, false));
      const killedAt = Date.now();
      doomed.proc.kill('SIGKILL');
      const update = await offline;
      const lastSeen = Date.parse(update.lastSeen!);
      expect(lastSeen).toBeGreaterThan(previous + 1000);
      expect(lastSeen).toBeLessThanOrEqual(killedAt + 50);
      expect(killedAt - lastSeen).toBeLessThan(OFFLINE_AFTER_MS);
      const shown = await request(api.url).get('/presence').query({ userIds: a.userId }).set('Authorization', `Bearer ${b.accessToken}`);
      expect(shown.body.items).toEqual([{ userId: a.userId, online: false, lastSeen: update.lastSeen }]);
    } finally {
      await doomed.stop('SIGKILL');
    }
  });

  it('uses the latest of the dead process heartbeat and the user leaving another device after it', async () => {
    const [a, b] = await Promise.all([signUp(api), signUp(api)]);
    await connectUsers(api, a, b);
    const bSocket = await open(api.url, b);
    const doomed = await startApiProcess(api.env);
    try {
      const online = nextEvent<PresenceUpdate>(bSocket, 'presence:update', 5000, about(a, true));
      await open(doomed.url, a); // laptop, on the process that dies
      await online;
      const phone = await open(api.url, a);
      await new Promise((r) => setTimeout(r, OFFLINE_AFTER_MS / 2));
      const offline = nextEvent<PresenceUpdate>(bSocket, 'presence:update', OFFLINE_AFTER_MS + 3000, about(a, false));
      // The phone leaves, then the laptop's process dies before its next heartbeat: the user was seen
      // at least until the phone left, whatever the dead process last recorded.
      const phoneLeft = Date.now();
      phone.close();
      await new Promise((r) => setTimeout(r, 150));
      doomed.proc.kill('SIGKILL');
      const update = await offline;
      expect(Date.parse(update.lastSeen!)).toBeGreaterThanOrEqual(phoneLeft - 50);
    } finally {
      await doomed.stop('SIGKILL');
    }
  });
});
