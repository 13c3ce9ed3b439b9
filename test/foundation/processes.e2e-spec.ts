import { getQueueToken } from '@nestjs/bullmq';
import { type Queue, QueueEvents } from 'bullmq';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runProcess, startTestApi, testEnv, type TestApi } from '@test/support';
import { WorkerJob, WorkerQueue } from '../../src/core/queue/index.js';

describe('worker process', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('completes a job the api enqueued, in a separate process, and schedules the heartbeat', async () => {
    const worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    try {
      await worker.waitFor(/worker ready/);
      const queue = api.app.get<Queue>(getQueueToken(WorkerQueue.Worker));
      const events = new QueueEvents(WorkerQueue.Worker, {
        connection: { url: api.env.REDIS_URL },
        prefix: `${api.env.REDIS_PREFIX}:bull`,
      });
      await events.waitUntilReady();
      const job = await queue.add(WorkerJob.Heartbeat, { requestedBy: 'test' });
      const result = (await job.waitUntilFinished(events, 20_000)) as { workerId: string };
      await events.close();
      expect(result.workerId).toMatch(new RegExp(`:${worker.proc.pid}$`));
      expect(result.workerId).not.toMatch(new RegExp(`:${process.pid}$`));
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toContain('worker-heartbeat');
      // SIGTERM closes the BullMQ worker and exits cleanly.
      const exit = await worker.stop('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
    } finally {
      await worker.stop('SIGKILL');
    }
  });

  it('a SIGTERM mid-backlog leaves no active or stalled job, and a restarted worker finishes the rest', async () => {
    const queue = api.app.get<Queue>(getQueueToken(WorkerQueue.Worker));
    const events = new QueueEvents(WorkerQueue.Worker, {
      connection: { url: api.env.REDIS_URL },
      prefix: `${api.env.REDIS_PREFIX}:bull`,
    });
    await events.waitUntilReady();
    let stalled = 0;
    events.on('stalled', () => stalled++);
    const jobs = await queue.addBulk(Array.from({ length: 900 }, () => ({ name: WorkerJob.Heartbeat, data: { requestedBy: 'backlog' } })));
    // One job at a time, so the SIGTERM lands while most of the backlog still waits (900: completed jobs
    // beyond 1000 are removed, see QueueModule, and their state would read "unknown").
    const first = runProcess('worker', { ...api.env, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '1' });
    try {
      await first.waitFor(/worker ready/);
      await expect
        .poll(async () => (await queue.getJobCounts('completed')).completed, { timeout: 20_000, interval: 20 })
        .toBeGreaterThan(0);
      expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      await first.stop('SIGKILL');
    }
    // The stopped worker finished what it had taken: nothing is left active (it would stall), and the
    // SIGTERM did land mid-backlog (jobs still wait for the next worker).
    const afterStop = await queue.getJobCounts('active', 'waiting');
    expect(afterStop.active).toBe(0);
    expect(afterStop.waiting).toBeGreaterThan(0);
    const second = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    try {
      await second.waitFor(/worker ready/);
      await Promise.all(jobs.map((job) => job.waitUntilFinished(events, 30_000)));
      // Every backlog job completed exactly once (the scheduler's own heartbeat may be running meanwhile).
      const states = await Promise.all(jobs.map((job) => queue.getJobState(job.id!)));
      expect(new Set(states)).toEqual(new Set(['completed']));
      expect((await queue.getJobCounts('failed')).failed).toBe(0);
      expect(stalled).toBe(0);
    } finally {
      await second.stop('SIGKILL');
      await events.close();
    }
  });
});

describe('api process', () => {
  it('refuses to start with one message naming every bad key', async () => {
    const proc = runProcess('main', { PORT: 'x', REDIS_URL: 'http://wrong' });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    const out = proc.output();
    for (const key of ['PORT', 'MONGODB_URI', 'REDIS_URL', 'JWT_SECRET']) expect(out).toContain(key);
    expect(out.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a socket without a valid token, and exits cleanly on SIGTERM within seconds', async () => {
    const port = await freePort();
    // A close that hangs past SHUTDOWN_TIMEOUT_MS exits 1, so exit code 0 means "closed within 5 s".
    const env = testEnv({ PORT: String(port), LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '5000' });
    const api = runProcess('main', env);
    try {
      await api.waitFor(/api listening/);
      const reason = await new Promise<string>((resolve) => {
        const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
        socket.on('connect_error', (err) => {
          socket.close();
          resolve(err.message);
        });
      });
      expect(reason).toBe('unauthorized');
      // Request logs are JSON with the request id; credentials are redacted.
      const res = await fetch(`http://127.0.0.1:${port}/nope`, {
        headers: { 'X-Request-Id': 'log-check-1', Authorization: 'Bearer secret-token-xyz', Cookie: 'sid=cookie-secret' },
      });
      expect(res.status).toBe(404);
      await api.waitFor(/log-check-1/);
      const line =
        api
          .output()
          .split('\n')
          .find((l) => l.includes('log-check-1')) ?? '';
      expect(JSON.parse(line)).toMatchObject({
        req: { id: 'log-check-1', headers: { authorization: '[redacted]', cookie: '[redacted]' } },
      });
      expect(api.output()).not.toContain('secret-token-xyz');
      expect(api.output()).not.toContain('cookie-secret');
      const exit = await api.stop('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(api.output()).toContain('shutdown complete');
    } finally {
      await api.stop('SIGKILL');
    }
  });
});
