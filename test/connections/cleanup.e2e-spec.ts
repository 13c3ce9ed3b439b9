import { getQueueToken } from '@nestjs/bullmq';
import { type Queue, QueueEvents } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, signUp, startTestApi, type TestApi } from '@test/support';
import { ConnectionsJob, ConnectionsQueue } from '../../src/modules/connections/index.js';
import { QrJob, QrQueue } from '../../src/modules/qr/index.js';

const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

// Needs a fresh dist (`nest build`; plain tsc leaves the @app/* aliases unresolved): the job runs in a real worker process.
describe('cleanup job (worker)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('is scheduled by the worker and deletes expired QR codes and requests, keeping live ones', async () => {
    const [a, b, c] = await Promise.all([signUp(api), signUp(api), signUp(api)]);
    const http = request(api.url);
    const qrA = await http.post('/qr').set(...auth(a));
    expect(
      (
        await http
          .post('/qr/scan')
          .set(...auth(b))
          .send({ token: qrA.body.token })
      ).status,
    ).toBe(201);
    const qrC = await http.post('/qr').set(...auth(c));
    expect(
      (
        await http
          .post('/qr/scan')
          .set(...auth(a))
          .send({ token: qrC.body.token })
      ).status,
    ).toBe(201);
    await http.post('/qr').set(...auth(b)); // live code, stays

    const past = new Date(Date.now() - 1000);
    const db = api.connection;
    // Expire a's code and b's request; c's code and a's request stay live.
    await db.collection('qr_tokens').updateMany({ owner: a.userId }, { $set: { expiresAt: past } });
    await db.collection('connection_requests').updateMany({ from: b.userId }, { $set: { expiresAt: past } });
    expect(await db.collection('qr_tokens').countDocuments({})).toBe(3);
    expect(await db.collection('connection_requests').countDocuments({})).toBe(2);

    const worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    const eventsOf = (name: string): QueueEvents =>
      new QueueEvents(name, { connection: { url: api.env.REDIS_URL }, prefix: `${api.env.REDIS_PREFIX}:bull` });
    const [qrEvents, requestEvents] = [eventsOf(QrQueue.Qr), eventsOf(ConnectionsQueue.Connections)];
    try {
      await worker.waitFor(/worker ready/);
      // Each module schedules its own cleanup on its own queue.
      const qrQueue = api.app.get<Queue>(getQueueToken(QrQueue.Qr));
      const requestQueue = api.app.get<Queue>(getQueueToken(ConnectionsQueue.Connections));
      expect((await qrQueue.getJobSchedulers()).map((s) => s.key)).toContain('qr-cleanup');
      expect((await requestQueue.getJobSchedulers()).map((s) => s.key)).toContain('connections-requests-cleanup');
      await Promise.all([qrEvents.waitUntilReady(), requestEvents.waitUntilReady()]);
      const qrJob = await qrQueue.add(QrJob.Cleanup, { requestedBy: 'test' });
      const requestJob = await requestQueue.add(ConnectionsJob.RequestsCleanup, { requestedBy: 'test' });
      // The schedules also run once at worker start, so these runs may find nothing left to delete.
      expect(await qrJob.waitUntilFinished(qrEvents, 20_000)).toEqual({ qrTokens: expect.any(Number) });
      expect(await requestJob.waitUntilFinished(requestEvents, 20_000)).toEqual({ requests: expect.any(Number) });
    } finally {
      await Promise.all([qrEvents.close(), requestEvents.close()]);
      await worker.stop('SIGTERM');
    }
    expect((await db.collection('qr_tokens').find({}).toArray()).map((d) => d.owner).sort()).toEqual([b.userId, c.userId].sort());
    expect((await db.collection('connection_requests').find({}).toArray()).map((d) => d.from)).toEqual([a.userId]);
  });
});
