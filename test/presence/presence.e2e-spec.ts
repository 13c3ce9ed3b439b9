import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  connectUsers,
  nextEvent,
  noEvent,
  type SignedUpUser,
  signUp,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';

interface PresenceUpdate {
  userId: string;
  online: boolean;
  lastSeen: string | null;
}

// Small bounds so the suite is quick: reaped at most 1.5 s after a kill -9 (3/4 of the bound).
const GRACE_MS = 600;
const OFFLINE_AFTER_MS = 2000;
const ENV = { PRESENCE_GRACE_MS: String(GRACE_MS), PRESENCE_OFFLINE_AFTER_MS: String(OFFLINE_AFTER_MS) };

/**
 * Presence with two api processes on one database and Redis: this test's in-process api (`api`) and a
 * compiled one (`other`, build dist first). Users sign up through `api`; sockets go to either.
 */
describe('presence across api processes', () => {
  let api: TestApi;
  let other: ApiProcess;
  let otherUrl: string;
  const sockets = socketPool();
  const open = (url: string, user: SignedUpUser): Promise<Socket> => sockets.connect(url, user.accessToken);
  const isAbout =
    (user: SignedUpUser, online?: boolean) =>
    (e: PresenceUpdate): boolean =>
      e.userId === user.userId && (online === undefined || e.online === online);
  const getPresence = (viewer: SignedUpUser, ids: string) =>
    request(api.url).get('/presence').query({ userIds: ids }).set('Authorization', `Bearer ${viewer.accessToken}`);
  const connectedPair = async (): Promise<[SignedUpUser, SignedUpUser]> => {
    const [a, b] = await Promise.all([signUp(api), signUp(api)]);
    await connectUsers(api, a, b);
    return [a, b];
  };

  beforeAll(async () => {
    api = await startTestApi(ENV);
    other = await startApiProcess(api.env);
    otherUrl = other.url;
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await api?.close();
  });

  it('reaches the connected peer on the other process, never a stranger, and persists lastSeen', async () => {
    const [a, b] = await connectedPair();
    const stranger = await signUp(api);
    const bSocket = await open(api.url, b);
    const strangerSocket = await open(api.url, stranger);

    const online = nextEvent<PresenceUpdate>(bSocket, 'presence:update', 5000, isAbout(a, true));
    const strangerHears = noEvent(strangerSocket, 'presence:update', GRACE_MS + 1500);
    const aSocket = await open(otherUrl, a);
    expect(await online).toMatchObject({ userId: a.userId, online: true });

    const offline = nextEvent<PresenceUpdate>(bSocket, 'presence:update', GRACE_MS + 5000, isAbout(a, false));
    aSocket.close();
    const update = await offline;
    expect(update.lastSeen).toEqual(expect.any(String));
    expect(await strangerHears).toBe(true);

    const stored = await api.connection.collection('last_seen').findOne({ _id: a.userId as never });
    expect(stored?.at).toBeInstanceOf(Date);
    expect((stored!.at as Date).toISOString()).toBe(update.lastSeen);

    // GET /presence: connections only; the stranger is omitted, not reported offline.
    const res = await getPresence(b, `${a.userId},${stranger.userId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [{ userId: a.userId, online: false, lastSeen: update.lastSeen }] });
    const strangerView = await getPresence(stranger, a.userId);
    expect(strangerView.body).toEqual({ items: [] });
  });

  it('does not flap when a user reconnects within the grace period (network switch)', async () => {
    const [a, b] = await connectedPair();
    const bSocket = await open(otherUrl, b);
    const online = nextEvent<PresenceUpdate>(bSocket, 'presence:update', 5000, isAbout(a));
    const first = await open(api.url, a);
    expect(await online).toMatchObject({ online: true });

    const quiet = noEvent<PresenceUpdate>(bSocket, 'presence:update', GRACE_MS + 1000, isAbout(a));
    first.close();
    await open(otherUrl, a); // back, on the other process this time
    expect(await quiet).toBe(true);
    const res = await getPresence(b, a.userId);
    expect(res.body.items).toEqual([expect.objectContaining({ userId: a.userId, online: true })]);
  });

  it('honours last-seen privacy, reciprocally', async () => {
    const [a, b] = await connectedPair();
    // b has been online once, so b has a last seen a could see.
    await open(api.url, b).then((s) => s.close());
    const hide = await request(api.url)
      .patch('/profile/privacy')
      .set('Authorization', `Bearer ${a.accessToken}`)
      .send({ lastSeen: 'nobody' });
    expect(hide.status).toBe(200);

    const bSocket = await open(api.url, b);
    const online = nextEvent<PresenceUpdate>(bSocket, 'presence:update', 5000, isAbout(a, true));
    const aSocket = await open(otherUrl, a);
    await online;
    const offline = nextEvent<PresenceUpdate>(bSocket, 'presence:update', GRACE_MS + 5000, isAbout(a, false));
    aSocket.close();
    // b still learns that a went offline, but not when.
    expect(await offline).toEqual({ userId: a.userId, online: false, lastSeen: null });
    expect((await getPresence(b, a.userId)).body.items).toEqual([{ userId: a.userId, online: false, lastSeen: null }]);

    // Who hides theirs sees no one's: a does not see b's last seen although b shares it.
    await new Promise((r) => setTimeout(r, GRACE_MS + 300)); // b's earlier session has settled
    expect((await getPresence(a, b.userId)).body.items).toEqual([{ userId: b.userId, online: true, lastSeen: null }]);
    // The live event too: a is told b went offline, but not when.
    const aWatch = await open(otherUrl, a);
    const bOffline = nextEvent<PresenceUpdate>(aWatch, 'presence:update', GRACE_MS + 5000, isAbout(b, false));
    bSocket.close();
    expect(await bOffline).toEqual({ userId: b.userId, online: false, lastSeen: null });
    // b's last seen is stored (b shares it): only a's own setting hides it from a.
    expect(await api.connection.collection('last_seen').findOne({ _id: b.userId as never })).toMatchObject({ at: expect.any(Date) });
    expect((await getPresence(a, b.userId)).body.items).toEqual([{ userId: b.userId, online: false, lastSeen: null }]);
  });

  it('a block ends presence both ways: no more updates, omitted from GET /presence', async () => {
    const [a, b] = await connectedPair();
    const bSocket = await open(api.url, b);
    const online = nextEvent<PresenceUpdate>(bSocket, 'presence:update', 5000, isAbout(a, true));
    const aSocket = await open(otherUrl, a);
    await online;
    const blocked = await request(api.url).post(`/blocks/${a.userId}`).set('Authorization', `Bearer ${b.accessToken}`);
    expect(blocked.status).toBe(201);

    const quiet = noEvent<PresenceUpdate>(bSocket, 'presence:update', GRACE_MS + 1500, isAbout(a));
    aSocket.close();
    expect(await quiet).toBe(true);
    expect((await getPresence(b, a.userId)).body).toEqual({ items: [] });
    expect((await getPresence(a, b.userId)).body).toEqual({ items: [] });
  });

  it('refuses malformed or too many ids', async () => {
    const user = await signUp(api);
    expect((await getPresence(user, 'nope')).body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    const many = Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(24, '0')).join(',');
    expect((await getPresence(user, many)).status).toBe(400);
    expect((await request(api.url).get('/presence').set('Authorization', `Bearer ${user.accessToken}`)).status).toBe(400);
  });

  it('hands over on a graceful stop: the users of a stopped process go offline with the time they left', async () => {
    const [a, b] = await connectedPair();
    const stopping = await startApiProcess(api.env);
    try {
      const bSocket = await open(api.url, b);
      const online = nextEvent<PresenceUpdate>(bSocket, 'presence:update', 5000, isAbout(a, true));
      await open(stopping.url, a);
      await online;
      const offline = nextEvent<PresenceUpdate>(bSocket, 'presence:update', OFFLINE_AFTER_MS + 2000, isAbout(a, false));
      const stoppedAt = Date.now();
      expect(await stopping.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      const update = await offline;
      expect(Math.abs(Date.parse(update.lastSeen!) - stoppedAt)).toBeLessThan(1000);
    } finally {
      await stopping.stop('SIGKILL');
    }
  });

  it('turns the users of a killed process offline within PRESENCE_OFFLINE_AFTER_MS', async () => {
    const [a, b] = await connectedPair();
    const doomed = await startApiProcess(api.env);
    try {
      const bSocket = await open(api.url, b);
      const online = nextEvent<PresenceUpdate>(bSocket, 'presence:update', 5000, isAbout(a, true));
      await open(doomed.url, a);
      await online;

      const offline = nextEvent<PresenceUpdate>(bSocket, 'presence:update', OFFLINE_AFTER_MS + 2000, isAbout(a, false));
      const killedAt = Date.now();
      doomed.proc.kill('SIGKILL');
      const update = await offline;
      // lastSeen is the dead process's last heartbeat: shortly before the kill, never after it.
      expect(update.lastSeen).toEqual(expect.any(String));
      const lastSeen = Date.parse(update.lastSeen!);
      expect(lastSeen).toBeLessThanOrEqual(killedAt + 50);
      expect(killedAt - lastSeen).toBeLessThan(OFFLINE_AFTER_MS);
      expect((await getPresence(b, a.userId)).body.items[0]).toMatchObject({ online: false, lastSeen: update.lastSeen });
    } finally {
      await doomed.stop('SIGKILL');
    }
  });
});
