import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  connectUsers,
  nextEvent,
  noEvent,
  runProcess,
  type RunningProcess,
  signUp,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';
import { ProfileJob, ProfileQueue } from '../../src/modules/profile/index.js';

const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

// Needs a fresh dist (`nest build`): the job runs in a real worker process, the socket sits on a second api process.
describe('a worker job reaches a socket held by an api process', () => {
  let api: TestApi;
  let second: ApiProcess;
  let worker: RunningProcess | null = null;
  const sockets = socketPool();

  beforeAll(async () => {
    api = await startTestApi();
    second = await startApiProcess(api.env);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await worker?.stop();
    await second?.stop();
    await api.close();
  });

  it('profile:update is delivered by the fan-out job in the worker, not by the api', async () => {
    const [owner, friend] = await Promise.all([signUp(api), signUp(api)]);
    await connectUsers(api, owner, friend);
    const friendSocket = await sockets.connect(second.url, friend.accessToken);
    const queue = api.app.get<Queue>(getQueueToken(ProfileQueue.Profile));

    // No worker yet: the change is queued as a job and nothing reaches the socket.
    const silent = noEvent(friendSocket, 'profile:update', 1500);
    const res = await request(api.url)
      .patch('/profile')
      .set(...auth(owner))
      .send({ name: 'Grace' });
    expect(res.status).toBe(200);
    expect(await silent).toBe(true);
    const waiting = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
    const job = waiting.find((j) => j.name === String(ProfileJob.Fanout) && (j.data as { userId: string }).userId === owner.userId);
    expect(job?.id).toMatch(new RegExp(`^profile-fanout-${owner.userId}-\\d+$`));

    // The worker runs it and the event reaches the socket on the other api process.
    const delivered = nextEvent<{ userId: string; profile: object }>(friendSocket, 'profile:update', 20_000);
    worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    await worker.waitFor(/worker ready/);
    expect(await delivered).toEqual({ userId: owner.userId, profile: { userId: owner.userId, name: 'Grace' } });
  });
});
