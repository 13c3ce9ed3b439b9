import { getQueueToken } from '@nestjs/bullmq';
import { type Queue, QueueEvents } from 'bullmq';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Types } from 'mongoose';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  nextEvent,
  noEvent,
  runProcess,
  type RunningProcess,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';
import { StatusJob, StatusQueue } from '../../src/modules/status/index.js';
import { storedPhoto } from './media-fixtures.js';
import { auth, circle, feedIdsFrom, type Json } from './status-fixtures.js';

const TTL_SECONDS = 12;
const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Photo statuses through MediaDirectory (bound by the media module), on two api processes and the real
 * worker, with the local storage driver in a temporary folder so the test can watch the bytes go.
 */
describe('photo statuses', () => {
  let api: TestApi;
  let other: ApiProcess;
  let worker: RunningProcess;
  let storageDir: string;
  const sockets = socketPool();
  const open = (url: string, user: { accessToken: string }): Promise<Socket> => sockets.connect(url, user.accessToken);

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'status-media-'));
    api = await startTestApi({ STATUS_TTL_SECONDS: String(TTL_SECONDS), STORAGE_DRIVER: 'local', STORAGE_LOCAL_DIR: storageDir });
    other = await startApiProcess(api.env);
    worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    await worker.waitFor(/worker ready/);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await worker?.stop('SIGTERM');
    await other?.stop('SIGKILL');
    await api?.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  it('signs its URLs for the audience only (404 to anyone else, media route included); expiry deletes the media and its bytes', async () => {
    const { author, friends } = await circle(api, 2);
    const [member, excluded] = friends;
    const photo = await storedPhoto(api, author.userId, 'ready');
    const [sMember, sExcluded] = await Promise.all([open(other.url, member), open(api.url, excluded)]);

    const arrives = nextEvent<Json>(sMember, 'status:new');
    const silent = noEvent(sExcluded, 'status:new', 2000);
    const posted = await request(api.url)
      .post('/statuses')
      .set(auth(author))
      .send({ kind: 'image', mediaId: photo.id, caption: 'Beach', audience: { mode: 'contacts_except', userIds: [excluded.userId] } });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ kind: 'image', caption: 'Beach', text: null, state: 'active' });
    const { status } = await arrives;
    expect(status).toMatchObject({ id: posted.body.id, media: { id: photo.id, kind: 'image', width: 64, url: expect.any(String) } });
    expect(await silent).toBe(true);
    expect((await api.connection.collection('media').findOne({ _id: new Types.ObjectId(photo.id) }))?.refs).toHaveProperty(
      `status:${posted.body.id}`,
    );

    // The member gets fresh signed URLs that serve the bytes privately.
    const media = await request(other.url).get(`/statuses/${posted.body.id}/media`).set(auth(member));
    expect(media.status).toBe(200);
    const signed = new URL(media.body.url as string, api.url);
    const bytes = await request(api.url).get(signed.pathname + signed.search);
    expect(bytes.status).toBe(200);
    expect(bytes.headers['cache-control']).toContain('private');
    expect(bytes.headers['content-type']).toBe('image/png');
    // The excluded viewer learns nothing, on the media route as everywhere.
    for (const path of [`/statuses/${posted.body.id}/media`, `/statuses/${posted.body.id}`]) {
      const denied = await request(other.url).get(path).set(auth(excluded));
      expect(denied.status).toBe(404);
      expect(JSON.stringify(denied.body)).not.toContain(photo.id);
    }
    expect(JSON.stringify((await request(other.url).get('/statuses').set(auth(excluded))).body)).not.toContain(photo.id);
    // Someone else's media cannot be posted.
    expect((await request(api.url).post('/statuses').set(auth(member)).send({ kind: 'image', mediaId: photo.id })).body.code).toBe(
      'invalid_media',
    );

    for (const key of photo.keys) expect(await exists(join(storageDir, key))).toBe(true);
    await new Promise((r) => setTimeout(r, new Date(posted.body.expiresAt as string).getTime() - Date.now() + 200));
    expect((await request(other.url).get(`/statuses/${posted.body.id}/media`).set(auth(member))).status).toBe(404);
    const events = new QueueEvents(StatusQueue.Status, { connection: { url: api.env.REDIS_URL }, prefix: `${api.env.REDIS_PREFIX}:bull` });
    try {
      await events.waitUntilReady();
      const queue = api.app.get<Queue>(getQueueToken(StatusQueue.Status), { strict: false });
      await (await queue.add(StatusJob.Cleanup, { requestedBy: 'test' })).waitUntilFinished(events, 20_000);
    } finally {
      await events.close();
    }
    expect(await api.connection.collection('statuses').countDocuments({ authorId: author.userId })).toBe(0);
    expect(await api.connection.collection('media').countDocuments({ ownerId: author.userId })).toBe(0);
    for (const key of photo.keys) expect(await exists(join(storageDir, key)), key).toBe(false);
  });

  it('a photo status whose media is still processing reaches no one but its author', async () => {
    const { author, friends } = await circle(api, 1);
    const member = friends[0];
    const photo = await storedPhoto(api, author.userId, 'processing');
    const sMember = await open(other.url, member);
    const silent = noEvent(sMember, 'status:new', 2000);
    const posted = await request(api.url).post('/statuses').set(auth(author)).send({ kind: 'image', mediaId: photo.id });
    expect(posted.body).toMatchObject({ state: 'pending', audienceSize: 1 });
    expect(await silent).toBe(true);
    expect((await request(other.url).get(`/statuses/${posted.body.id}`).set(auth(member))).status).toBe(404);
    expect(await feedIdsFrom(other.url, member, author.userId)).toEqual([]);
    expect((await request(api.url).get('/statuses/mine').set(auth(author))).body).toMatchObject([{ id: posted.body.id, state: 'pending' }]);
    // Video needs video media.
    expect((await request(api.url).post('/statuses').set(auth(author)).send({ kind: 'video', mediaId: photo.id })).body.code).toBe(
      'invalid_media',
    );
  });
});
