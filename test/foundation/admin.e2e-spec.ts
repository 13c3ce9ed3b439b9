import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '@test/support';

describe('queue dashboard', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ ADMIN_USER: 'ops', ADMIN_PASSWORD: 'correct-horse-battery' });
  });
  afterAll(() => api.close());

  it('asks for credentials and refuses wrong ones', async () => {
    const none = await request(api.url).get('/admin/queues');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic /);
    expect((await request(api.url).get('/admin/queues').auth('ops', 'wrong-password')).status).toBe(401);
    expect((await request(api.url).get('/admin/queues').auth('someone', 'correct-horse-battery')).status).toBe(401);
  });

  it('shows every queue with the right credentials', async () => {
    const page = await request(api.url).get('/admin/queues').auth('ops', 'correct-horse-battery');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const queues = await request(api.url).get('/admin/queues/api/queues').auth('ops', 'correct-horse-battery');
    expect(queues.status).toBe(200);
    // Every module's queue (registerQueue) is listed, without the dashboard naming any of them.
    expect((queues.body as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort()).toEqual(
      expect.arrayContaining(['auth', 'connections', 'qr', 'worker']),
    );
  });
});

describe('queue dashboard without admin credentials configured', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('is not mounted at all', async () => {
    expect((await request(api.url).get('/admin/queues')).status).toBe(404);
    expect((await request(api.url).get('/admin/queues').auth('ops', 'anything-at-all')).status).toBe(404);
  });
});
