import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  connectUsers,
  emitWithAck,
  signUp,
  type SignedUpUser,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';

const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

interface SyncAnswer {
  profiles: Array<{ userId: string; name: string | null; about?: string }>;
  cursor: string;
}

// Changes are written through the first api process; the viewer syncs on the second.
describe('profile:sync (two api processes)', () => {
  let api: TestApi;
  let second: ApiProcess;
  const sockets = socketPool();
  const patch = async (u: SignedUpUser, path: string, body: object): Promise<void> => {
    const res = await request(api.url)
      .patch(path)
      .set(...auth(u))
      .send(body);
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    api = await startTestApi();
    second = await startApiProcess(api.env);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await second?.stop();
    await api.close();
  });

  it('returns exactly the contacts whose profile changed since the cursor, as this viewer may see them', async () => {
    const [viewer, renamed, hider, quiet, stranger, blocked] = await Promise.all(Array.from({ length: 6 }, () => signUp(api)));
    await patch(renamed, '/profile', { name: 'Before' });
    await patch(hider, '/profile', { name: 'Hider', about: 'Visible for now' });
    await patch(quiet, '/profile', { name: 'Quiet' });
    for (const contact of [renamed, hider, quiet, blocked]) await connectUsers(api, viewer, contact);
    const socket = await sockets.connect(second.url, viewer.accessToken);

    // First sync (no cursor): every contact, privacy applied.
    const first = await emitWithAck<SyncAnswer>(socket, 'profile:sync', {});
    expect(first.ok).toBe(true);
    const firstData = (first as { data: SyncAnswer }).data;
    expect(firstData.profiles.map((p) => p.userId).sort()).toEqual([renamed, hider, quiet, blocked].map((u) => u.userId).sort());
    expect(firstData.profiles.find((p) => p.userId === hider.userId)).toEqual({
      userId: hider.userId,
      name: 'Hider',
      about: 'Visible for now',
    });

    // Nothing changed since: nothing comes back (the changes made just before the first sync included).
    const unchanged = (await emitWithAck<SyncAnswer>(socket, 'profile:sync', { since: firstData.cursor })) as { data: SyncAnswer };
    expect(unchanged.data.profiles).toEqual([]);

    await patch(renamed, '/profile', { name: 'After' });
    await patch(hider, '/profile/privacy', { about: 'nobody' });
    await patch(stranger, '/profile', { name: 'Not a contact' });
    expect(
      (
        await request(api.url)
          .post(`/blocks/${viewer.userId}`)
          .set(...auth(blocked))
      ).status,
    ).toBe(201);
    await patch(blocked, '/profile', { name: 'Blocked me' });

    const changed = (await emitWithAck<SyncAnswer>(socket, 'profile:sync', { since: unchanged.data.cursor })) as { data: SyncAnswer };
    const byId = new Map(changed.data.profiles.map((p) => [p.userId, p]));
    expect([...byId.keys()].sort()).toEqual([renamed.userId, hider.userId].sort());
    expect(byId.get(renamed.userId)).toEqual({ userId: renamed.userId, name: 'After' });
    // The about the hider now hides from contacts is absent, not empty.
    expect(byId.get(hider.userId)).toEqual({ userId: hider.userId, name: 'Hider' });

    const after = (await emitWithAck<SyncAnswer>(socket, 'profile:sync', { since: changed.data.cursor })) as { data: SyncAnswer };
    expect(after.data.profiles).toEqual([]);
    // The older cursor still sees the same changes (a device that missed the answer can retry).
    const retried = (await emitWithAck<SyncAnswer>(socket, 'profile:sync', { since: unchanged.data.cursor })) as { data: SyncAnswer };
    expect(retried.data.profiles.map((p) => p.userId).sort()).toEqual([renamed.userId, hider.userId].sort());
  });

  it('refuses a cursor it did not make', async () => {
    const viewer = await signUp(api);
    const socket = await sockets.connect(second.url, viewer.accessToken);
    expect(await emitWithAck(socket, 'profile:sync', { since: 'bm90LWEtY3Vyc29y' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_cursor' },
    });
    expect(await emitWithAck(socket, 'profile:sync', { since: { $gt: '' } })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
  });
});
