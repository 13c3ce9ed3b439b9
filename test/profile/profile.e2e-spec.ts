import { Injectable } from '@nestjs/common';
import { type DomainEvents, OnDomainEvent } from '@app/common';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, connectUsers, nextEvent, runProcess, type SignedUpUser, signUp, startTestApi, type TestApi } from '@test/support';
import { smallJpeg } from './images.js';

const auth = (user: SignedUpUser): [string, string] => ['Authorization', `Bearer ${user.accessToken}`];

/** Records profile.updated as a listening module would receive it (synchronously, so no waiting). */
@Injectable()
class ProfileUpdates {
  readonly events: Array<DomainEvents['profile.updated']> = [];
  @OnDomainEvent('profile.updated', { async: false })
  onUpdated(event: DomainEvents['profile.updated']): void {
    this.events.push(event);
  }
}

describe('profile and privacy', () => {
  let api: TestApi;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'profiles-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir }, { providers: [ProfileUpdates] });
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts empty, trims, and announces every change as profile.updated', async () => {
    const user = await signUp(api);
    const initial = await request(api.url)
      .get('/profile')
      .set(...auth(user));
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual({ userId: user.userId, name: null, about: '', avatarUrl: null, avatarThumbUrl: null });

    const { events } = api.app.get(ProfileUpdates);
    events.length = 0;
    const res = await request(api.url)
      .patch('/profile')
      .set(...auth(user))
      .send({ name: '  Ada Lovelace  ', about: ' Counting engines ' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Ada Lovelace', about: 'Counting engines' });
    expect(
      (
        await request(api.url)
          .get('/profile')
          .set(...auth(user))
      ).body,
    ).toMatchObject({ name: 'Ada Lovelace', about: 'Counting engines' });
    await request(api.url)
      .patch('/profile/privacy')
      .set(...auth(user))
      .send({ about: 'contacts' });
    expect(events).toEqual([{ userId: user.userId }, { userId: user.userId }]);
    const cleared = await request(api.url)
      .patch('/profile')
      .set(...auth(user))
      .send({ about: '' });
    expect(cleared.body).toMatchObject({ name: 'Ada Lovelace', about: '' });
  });

  it('refuses other fields, bad lengths and control characters with 400, writing nothing', async () => {
    const user = await signUp(api);
    await request(api.url)
      .patch('/profile')
      .set(...auth(user))
      .send({ name: 'Before' });
    const bad: Record<string, unknown>[] = [
      { name: 'Eve', role: 'admin' },
      { name: 'Eve', userId: '665f1c2b9a1e4d3f2a1b0c9d' },
      { _id: '665f1c2b9a1e4d3f2a1b0c9d' },
      { name: 'Eve', email: 'eve@example.com' },
      { name: 'Eve', createdAt: '2020-01-01T00:00:00.000Z' },
      { name: 'Eve', avatarUrl: 'https://evil.example/x.png' },
      { name: '   ' },
      { name: 'x'.repeat(65) },
      { name: null },
      { name: 'Eve\u0007' },
      { name: 'Line\nbreak' },
      { about: 'y'.repeat(141) },
      { about: 'tab\there' },
      { name: { $gt: '' } },
    ];
    for (const body of bad) {
      const res = await request(api.url)
        .patch('/profile')
        .set(...auth(user))
        .send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect(
      (
        await request(api.url)
          .get('/profile')
          .set(...auth(user))
      ).body.name,
    ).toBe('Before');
    // Limits count characters, not UTF-16 units: 64 emoji are a valid name.
    expect(
      (
        await request(api.url)
          .patch('/profile')
          .set(...auth(user))
          .send({ name: '😀'.repeat(64) })
      ).status,
    ).toBe(200);
    const privacy = await request(api.url)
      .patch('/profile/privacy')
      .set(...auth(user))
      .send({ photo: 'friends' });
    expect(privacy.status).toBe(400);
    expect(
      (
        await request(api.url)
          .patch('/profile/privacy')
          .set(...auth(user))
          .send({ readReceipts: 'nobody' })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(api.url)
          .get('/profile')
          .set(...auth(user))
          .set('Authorization', 'Bearer nope')
      ).status,
    ).toBe(401);
  });

  it('applies privacy settings to what another user sees', async () => {
    const owner = await signUp(api);
    const stranger = await signUp(api);
    const friend = await signUp(api);
    await connectUsers(api, owner, friend);
    await request(api.url)
      .patch('/profile')
      .set(...auth(owner))
      .send({ name: 'Owner', about: 'Busy' });
    const avatar = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(owner))
      .attach('file', await smallJpeg(), 'me.jpg');
    expect(avatar.status).toBe(200);

    expect(
      (
        await request(api.url)
          .get('/profile/privacy')
          .set(...auth(owner))
      ).body,
    ).toEqual({ lastSeen: 'everyone', photo: 'everyone', about: 'everyone' });
    const everyone = await request(api.url)
      .get(`/users/${owner.userId}`)
      .set(...auth(stranger));
    expect(everyone.status).toBe(200);
    expect(everyone.body).toEqual({
      id: owner.userId,
      name: 'Owner',
      about: 'Busy',
      avatarUrl: avatar.body.avatarUrl,
      avatarThumbUrl: avatar.body.avatarThumbUrl,
    });

    const changed = await request(api.url)
      .patch('/profile/privacy')
      .set(...auth(owner))
      .send({ photo: 'contacts', about: 'nobody' });
    expect(changed.body).toEqual({ lastSeen: 'everyone', photo: 'contacts', about: 'nobody' });
    // Hidden fields are absent, not empty.
    expect(
      (
        await request(api.url)
          .get(`/users/${owner.userId}`)
          .set(...auth(stranger))
      ).body,
    ).toEqual({ id: owner.userId, name: 'Owner' });
    expect(
      (
        await request(api.url)
          .get(`/users/${owner.userId}`)
          .set(...auth(friend))
      ).body,
    ).toEqual({
      id: owner.userId,
      name: 'Owner',
      avatarUrl: avatar.body.avatarUrl,
      avatarThumbUrl: avatar.body.avatarThumbUrl,
    });
    // The owner always sees everything of their own.
    expect(
      (
        await request(api.url)
          .get('/profile')
          .set(...auth(owner))
      ).body,
    ).toMatchObject({ about: 'Busy', avatarUrl: avatar.body.avatarUrl });

    await request(api.url)
      .patch('/profile/privacy')
      .set(...auth(owner))
      .send({ photo: 'nobody' });
    expect(
      (
        await request(api.url)
          .get(`/users/${owner.userId}`)
          .set(...auth(friend))
      ).body,
    ).toEqual({ id: owner.userId, name: 'Owner' });
  });

  it('hides photo and about from a blocked user even when they are for everyone', async () => {
    const owner = await signUp(api);
    const other = await signUp(api);
    await request(api.url)
      .patch('/profile')
      .set(...auth(owner))
      .send({ name: 'Blocker', about: 'Public about' });
    await request(api.url)
      .put('/profile/avatar')
      .set(...auth(owner))
      .attach('file', await smallJpeg(), 'me.jpg');
    expect(
      (
        await request(api.url)
          .get(`/users/${owner.userId}`)
          .set(...auth(other))
      ).body,
    ).toMatchObject({ about: 'Public about' });
    expect(
      (
        await request(api.url)
          .post(`/blocks/${other.userId}`)
          .set(...auth(owner))
      ).status,
    ).toBeLessThan(300);
    expect(
      (
        await request(api.url)
          .get(`/users/${owner.userId}`)
          .set(...auth(other))
      ).body,
    ).toEqual({ id: owner.userId, name: 'Blocker' });
  });

  it("pushes profile:update to a connection's sockets, as that connection may see it", async () => {
    const owner = await signUp(api);
    const friend = await signUp(api);
    await connectUsers(api, owner, friend);
    await request(api.url)
      .patch('/profile/privacy')
      .set(...auth(owner))
      .send({ about: 'nobody' });
    const socket = await connectSocket(api.url, friend.accessToken);
    // The fan-out is a job the worker runs (profile module's queue).
    const worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    try {
      await worker.waitFor(/worker ready/);
      const update = nextEvent(
        socket,
        'profile:update',
        10_000,
        (p: { userId: string; profile: { name: string | null } }) => p.profile.name === 'Renamed',
      );
      await request(api.url)
        .patch('/profile')
        .set(...auth(owner))
        .send({ name: 'Renamed', about: 'secret' });
      expect(await update).toEqual({ userId: owner.userId, profile: { userId: owner.userId, name: 'Renamed' } });
    } finally {
      socket.close();
      await worker.stop();
    }
  });

  it('erases the profile and its stored avatar when the account is deleted', async () => {
    const user = await signUp(api);
    const other = await signUp(api);
    await request(api.url)
      .patch('/profile')
      .set(...auth(user))
      .send({ name: 'Gone soon' });
    const avatar = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(user))
      .attach('file', await smallJpeg(), 'a.jpg');
    expect((await request(api.url).get(avatar.body.avatarUrl)).status).toBe(200);

    expect(
      (
        await request(api.url)
          .delete('/users/me')
          .set(...auth(user))
      ).status,
    ).toBe(204);
    expect((await request(api.url).get(avatar.body.avatarUrl)).status).toBe(404);
    expect((await request(api.url).get(avatar.body.avatarThumbUrl)).status).toBe(404);
    expect(await readdir(join(dir, 'avatars', user.userId))).toEqual([]);
    expect(
      await api.connection.collection('profiles').countDocuments({ _id: new (await import('mongoose')).Types.ObjectId(user.userId) }),
    ).toBe(0);
    expect(
      (
        await request(api.url)
          .get(`/users/${user.userId}`)
          .set(...auth(other))
      ).status,
    ).toBe(404);
  });
});
