import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startTestApi, type TestApi } from '@test/support';
import { scenario } from '../reliability/summary.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const PROD = { NODE_ENV: 'production', OTP_DELIVERY: 'log' };

/** The operators' routes of an api started with NODE_ENV=production. */
describe('operator surfaces in production', () => {
  let api: TestApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('serves no /metrics without a token or port, keeps Bull Board behind its credentials, can switch docs off', () =>
    scenario('operator surfaces (NODE_ENV=production)', async (counts) => {
      api = await startTestApi({ ...PROD, DOCS_ENABLED: 'false', ADMIN_USER: 'ops', ADMIN_PASSWORD: 'a-long-admin-password' });
      expect((await request(api.url).get('/metrics')).status).toBe(404);
      for (const path of ['/docs', '/docs/', '/docs-json', '/docs-yaml']) expect((await request(api.url).get(path)).status).toBe(404);
      const board = '/admin/queues';
      expect((await request(api.url).get(board)).status).toBe(401);
      expect((await request(api.url).get(board).auth('ops', 'wrong-password-here')).status).toBe(401);
      expect((await request(api.url).get(board).auth('ops', 'a-long-admin-password')).status).toBe(200);
      expect((await request(api.url).get('/health/ready')).status).toBe(200);
      counts.note = 'metrics 404, docs 404, board 401/200';
    }));

  it('asks for the bearer METRICS_TOKEN on the public port', async () => {
    api = await startTestApi({ ...PROD, METRICS_TOKEN: TOKEN });
    expect((await request(api.url).get('/metrics')).status).toBe(401);
    expect((await request(api.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`)).status).toBe(401);
    const ok = await request(api.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('nodejs_eventloop_lag_seconds');
    // Docs stay on by default.
    expect((await request(api.url).get('/docs-json')).status).toBe(200);
  });

  it('serves /metrics only on METRICS_PORT when set', async () => {
    const port = await freePort();
    api = await startTestApi({ ...PROD, METRICS_PORT: String(port), METRICS_TOKEN: TOKEN });
    expect((await request(api.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(404);
    const internal = `http://127.0.0.1:${port}`;
    expect((await request(internal).get('/metrics')).status).toBe(401);
    const ok = await request(internal).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('http_request_duration_seconds');
    // fetch, not supertest: the internal port is not the documented API, so the response validator has no say here.
    expect((await fetch(`${internal}/profile`)).status).toBe(404);
  });
});
