import { getQueueToken } from '@nestjs/bullmq';
import { type Queue, QueueEvents } from 'bullmq';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatIdFor, MediaDirectory, messageMediaRef } from '@app/common';
import { emitWithAck, type RunningProcess, signUp, type SignedUpUser, socketPool, startTestApi, type TestApi } from '@test/support';
import { MediaJob, MediaQueue } from '../../src/modules/media/media.jobs.js';
import { testVideo } from './fixtures.js';
import { auth, processedEvents, startWorker, upload } from './helpers.js';

async function filesOf(dir: string, mediaId: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((n) => n.includes(mediaId));
}

function image(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 40 + seed, height: 30, channels: 3, background: { r: seed, g: 90, b: 10 } } })
    .png()
    .toBuffer();
}

async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('media lifecycle', () => {
  let api: TestApi;
  let dir: string;
  let worker: RunningProcess | undefined;
  let owner: SignedUpUser;
  let peer: SignedUpUser;
  let queue: Queue;
  const sockets = socketPool();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-life-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir });
    [owner, peer] = await Promise.all([signUp(api), signUp(api)]);
    queue = api.app.get<Queue>(getQueueToken(MediaQueue.Media));
  });
  afterAll(async () => {
    sockets.closeAll();
    await worker?.stop();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('media:cancel stops a pending job of my own media; nobody else can cancel it', async () => {
    // No worker yet: the job waits.
    const video = await testVideo(1, 80, 64);
    const res = await upload(api.url, owner, video, 'v.mp4');
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    expect(await queue.getJob(id)).toBeDefined();

    const peerSocket = await sockets.connect(api.url, peer.accessToken);
    expect(await emitWithAck(peerSocket, 'media:cancel', { id })).toMatchObject({ ok: false, error: { code: 'media_not_found' } });
    const mine = await sockets.connect(api.url, owner.accessToken);
    const otherDevice = processedEvents(await sockets.connect(api.url, owner.accessToken));
    expect(await emitWithAck(mine, 'media:cancel', { id })).toMatchObject({
      ok: true,
      data: { id, status: 'failed', failureReason: 'cancelled' },
    });
    expect(await queue.getJob(id)).toBeUndefined();
    expect(await otherDevice.wait(id, 5000)).toMatchObject({ id, status: 'failed', failureReason: 'cancelled' });
    // The same bytes again start afresh instead of returning the cancelled item.
    const again = await upload(api.url, owner, video, 'v.mp4');
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(id);
    expect(await emitWithAck(mine, 'media:cancel', { id: again.body.id })).toMatchObject({ ok: true });
    expect(await emitWithAck(mine, 'media:cancel', { id })).toMatchObject({ ok: false, error: { code: 'media_not_processing' } });
    expect(await emitWithAck(mine, 'media:cancel', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });

  it('the orphan sweep deletes media no message references after MEDIA_ORPHAN_TTL_SECONDS, and keeps attached media', async () => {
    worker = await startWorker({ ...api.env, MEDIA_ORPHAN_TTL_SECONDS: '1' });
    const events = processedEvents(await sockets.connect(api.url, owner.accessToken));
    const kept = (await upload(api.url, owner, await image(1), 'kept.png')).body.id as string;
    const orphan = (await upload(api.url, owner, await image(2), 'orphan.png')).body.id as string;
    await Promise.all([events.wait(kept), events.wait(orphan)]);
    await api.app.get(MediaDirectory).attach([kept], messageMediaRef(chatIdFor(owner.userId, peer.userId), '665f1c2b9a1e4d3f2a1b0c01'));
    expect(await filesOf(dir, orphan)).not.toEqual([]);
    await new Promise((r) => setTimeout(r, 1200)); // past the 1 s orphan TTL

    const queueEvents = new QueueEvents(MediaQueue.Media, {
      connection: { url: api.env.REDIS_URL },
      prefix: `${api.env.REDIS_PREFIX}:bull`,
    });
    try {
      await queueEvents.waitUntilReady();
      const job = await queue.add(MediaJob.SweepOrphans, { requestedBy: 'test' });
      await job.waitUntilFinished(queueEvents, 30_000);
    } finally {
      await queueEvents.close();
    }
    expect(
      (
        await request(api.url)
          .get(`/media/${orphan}`)
          .set(...auth(owner))
      ).status,
    ).toBe(404);
    expect(await filesOf(dir, orphan)).toEqual([]);
    expect(
      (
        await request(api.url)
          .get(`/media/${kept}`)
          .set(...auth(owner))
      ).status,
    ).toBe(200);
    expect(await filesOf(dir, kept)).not.toEqual([]);
  }, 120_000);

  it("deleting an account deletes that user's media and bytes (in the worker)", async () => {
    const leaving = await signUp(api);
    const events = processedEvents(await sockets.connect(api.url, leaving.accessToken));
    const id = (await upload(api.url, leaving, await image(3), 'me.png')).body.id as string;
    await events.wait(id);
    await api.app.get(MediaDirectory).attach([id], messageMediaRef(chatIdFor(leaving.userId, peer.userId), '665f1c2b9a1e4d3f2a1b0c02'));
    expect(
      (
        await request(api.url)
          .delete('/users/me')
          .set(...auth(leaving))
      ).status,
    ).toBe(204);
    await until(
      async () => (await api.connection.collection('media').countDocuments({ ownerId: leaving.userId })) === 0,
      20_000,
      'media deleted',
    );
    expect(await filesOf(dir, id)).toEqual([]);
  });
});
