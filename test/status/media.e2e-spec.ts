import { getQueueToken } from '@nestjs/bullmq';
import { type Queue, QueueEvents } from 'bullmq';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MediaDirectory } from '@app/common';
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
} from '@app/testing';
import { StatusJob, StatusQueue } from '../../src/modules/status/index.js';
import { png } from '../profile/images.js';
import { auth, circle, type Json, isBound } from './status-fixtures.js';

const TTL_SECONDS = 12;

/** Files under `dir` whose name contains `mediaId` (the media module's object keys carry the media id). */
async function objectsOf(dir: string, mediaId: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return all.filter((f) => f.includes(mediaId));
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

/**
 * Photo statuses on the media pipeline (MediaDirectory, bound by the media module; skipped where this
 * build does not bind it yet): the real worker processes the upload, releases the status to its
 * audience, and after expiry the cleanup job has the media module delete the bytes.
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

  it('reaches the audience once processed, signs URLs for the audience only, and its bytes go after expiry', async (ctx) => {
    if (!isBound(api, MediaDirectory)) ctx.skip();
    const { author, friends } = await circle(api, 2);
    const [member, excluded] = friends;
    const [sMember, sExcluded] = await Promise.all([open(other.url, member), open(api.url, excluded)]);

    // The media module's upload route; the status is posted at once, before processing has finished.
    const upload = await request(api.url)
      .post('/media')
      .set(auth(author))
      .attach('file', await png(), 'beach.png');
    expect([201, 202]).toContain(upload.status);
    const mediaId = upload.body.id as string;

    const arrives = nextEvent<Json>(sMember, 'status:new', 20_000);
    const silent = noEvent(sExcluded, 'status:new', 5000);
    const posted = await request(api.url)
      .post('/statuses')
      .set(auth(author))
      .send({ kind: 'image', mediaId, caption: 'Beach', audience: { mode: 'contacts_except', userIds: [excluded.userId] } });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ kind: 'image', caption: 'Beach', state: expect.stringMatching(/^(pending|active)$/) });

    const { status } = await arrives;
    expect(status).toMatchObject({ id: posted.body.id, kind: 'image', caption: 'Beach', media: { id: mediaId, url: expect.any(String) } });
    expect(await silent).toBe(true);

    // The signed URL serves the bytes; the media route answers the audience and 404s everyone else.
    const media = await request(other.url).get(`/statuses/${posted.body.id}/media`).set(auth(member));
    expect(media.status).toBe(200);
    const fetched = await request(api.url).get(
      new URL(media.body.url as string, api.url).pathname + new URL(media.body.url as string, api.url).search,
    );
    expect(fetched.status).toBe(200);
    expect(fetched.headers['cache-control']).toContain('private');
    const denied = await request(other.url).get(`/statuses/${posted.body.id}/media`).set(auth(excluded));
    expect(denied.status).toBe(404);
    expect(JSON.stringify(denied.body)).not.toContain(mediaId);
    expect((await request(other.url).get(`/statuses/${posted.body.id}`).set(auth(excluded))).status).toBe(404);
    expect(await objectsOf(storageDir, mediaId)).not.toEqual([]);

    // Someone else's media cannot be posted.
    const theft = await request(api.url).post('/statuses').set(auth(member)).send({ kind: 'image', mediaId });
    expect(theft.body.code).toBe('invalid_media');

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
    // The media module deletes unreferenced bytes (possibly in its own job): wait for them to go.
    expect(await eventually(async () => (await objectsOf(storageDir, mediaId)).length === 0)).toBe(true);
  });
});
