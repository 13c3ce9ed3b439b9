import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestApi, type TestApi } from '@test/support';

describe('health', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('is live and ready with MongoDB and Redis up', async () => {
    expect((await request(api.url).get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await request(api.url).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({ mongo: { status: 'up' }, redis: { status: 'up' } });
  });

  it('serves the same OpenAPI document as the committed docs/openapi.json (run `npm run openapi` when this fails)', async () => {
    const served = (await request(api.url).get('/docs-json')).body as unknown;
    const committed = JSON.parse(await readFile(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as unknown;
    expect(served).toEqual(committed);
  });
});

describe('health with Redis going away', () => {
  let api: TestApi;
  let port: number;
  let redis: ChildProcess;
  const startRedis = async (): Promise<ChildProcess> => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 300));
    return proc;
  };
  const stopRedis = async (): Promise<void> => {
    if (redis.exitCode !== null || redis.signalCode !== null) return;
    const exited = new Promise((r) => redis.once('exit', r));
    redis.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    // A Redis of this test's own, so stopping it harms no other suite.
    port = await freePort();
    redis = await startRedis();
    api = await startTestApi({ REDIS_URL: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await api.close({ drop: false });
    await stopRedis();
  });

  it('answers 503 naming redis once Redis stops answering, and 200 again when it is back', async () => {
    expect((await request(api.url).get('/health/ready')).status).toBe(200);
    await stopRedis();
    const res = await request(api.url).get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'not_ready', message: 'Not ready: redis' });
    expect(res.body.details.mongo.status).toBe('up');
    expect(res.body.details.redis.status).toBe('down');

    // Redis back on the same port: the clients reconnect by themselves (and the app can close cleanly).
    redis = await startRedis();
    await expect.poll(async () => (await request(api.url).get('/health/ready')).status, { timeout: 15_000, interval: 250 }).toBe(200);
  });
});
