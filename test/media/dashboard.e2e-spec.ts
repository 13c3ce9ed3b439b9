import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '@test/support';

describe('queue dashboard', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ ADMIN_USER: 'ops', ADMIN_PASSWORD: 'correct-horse-battery' });
  });
  afterAll(() => api.close());

  it('lists the media queue', async () => {
    const queues = await request(api.url).get('/admin/queues/api/queues').auth('ops', 'correct-horse-battery');
    expect(queues.status).toBe(200);
    expect((queues.body as { queues: Array<{ name: string }> }).queues.map((q) => q.name)).toContain('media');
  });
});
