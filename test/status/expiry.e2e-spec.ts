import { getQueueToken } from '@nestjs/bullmq';
import { type Queue, QueueEvents } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, startTestApi, type TestApi } from '@test/support';
import { StatusJob, StatusQueue } from '../../src/modules/status/index.js';
import { auth, circle, feedIdsFrom, postText } from './status-fixtures.js';

const TTL_SECONDS = 10;

/** Expiry is enforced by every query; the worker's scheduled job then deletes what expired (needs `nest build`). */
describe('status expiry and cleanup', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ STATUS_TTL_SECONDS: String(TTL_SECONDS) });
  });
  afterAll(() => api.close());

  it('an expired status is gone from every read before any cleanup ran; the job then deletes it, its audience and views', async () => {
    const { author, friends } = await circle(api, 1);
    const viewer = friends[0];
    const status = await postText(api, author);
    expect(new Date(status.expiresAt).getTime() - new Date(status.createdAt).getTime()).toBe(TTL_SECONDS * 1000);
    expect((await request(api.url).post(`/statuses/${status.id}/view`).set(auth(viewer))).status).toBe(200);
    expect(await feedIdsFrom(api.url, viewer, author.userId)).toEqual([status.id]);

    await new Promise((r) => setTimeout(r, new Date(status.expiresAt).getTime() - Date.now() + 200));
    // No worker has run: the documents are all still there, yet no read shows the status.
    const db = api.connection;
    expect(await db.collection('statuses').countDocuments({ authorId: author.userId })).toBe(1);
    expect(await db.collection('status_audience').countDocuments({ statusId: status.id })).toBe(1);
    expect(await db.collection('status_views').countDocuments({ statusId: status.id })).toBe(1);
    expect(await feedIdsFrom(api.url, viewer, author.userId)).toEqual([]);
    expect((await request(api.url).get('/statuses').set(auth(author))).body.mine).toEqual([]);
    expect((await request(api.url).get('/statuses/mine').set(auth(author))).body).toEqual([]);
    for (const user of [viewer, author]) expect((await request(api.url).get(`/statuses/${status.id}`).set(auth(user))).status).toBe(404);
    expect((await request(api.url).post(`/statuses/${status.id}/view`).set(auth(viewer))).status).toBe(404);

    const expired = await postText(api, author);
    await new Promise((r) => setTimeout(r, new Date(expired.expiresAt).getTime() - Date.now() + 200));
    const live = await postText(api, author);
    expect((await request(api.url).post(`/statuses/${expired.id}/view`).set(auth(viewer))).status).toBe(404);
    expect((await request(api.url).post(`/statuses/${live.id}/view`).set(auth(viewer))).status).toBe(200);

    const worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    const events = new QueueEvents(StatusQueue.Status, { connection: { url: api.env.REDIS_URL }, prefix: `${api.env.REDIS_PREFIX}:bull` });
    try {
      await worker.waitFor(/worker ready/);
      const queue = api.app.get<Queue>(getQueueToken(StatusQueue.Status), { strict: false });
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toContain('status-cleanup');
      await events.waitUntilReady();
      const job = await queue.add(StatusJob.Cleanup, { requestedBy: 'test' });
      // The schedule may have run at worker start already, so this run may find nothing left.
      expect(await job.waitUntilFinished(events, 20_000)).toEqual({
        statuses: expect.any(Number),
        audience: expect.any(Number),
        views: expect.any(Number),
      });
    } finally {
      await events.close();
      await worker.stop('SIGTERM');
    }
    expect((await db.collection('statuses').find({ authorId: author.userId }).toArray()).map((d) => String(d._id))).toEqual([live.id]);
    expect((await db.collection('status_audience').find({ authorId: author.userId }).toArray()).map((d) => d.statusId)).toEqual([live.id]);
    expect((await db.collection('status_views').find({ authorId: author.userId }).toArray()).map((d) => d.statusId)).toEqual([live.id]);
  });
});
