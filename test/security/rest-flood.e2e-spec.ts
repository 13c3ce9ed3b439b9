import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, randomClientIp, type SignedUpUser, signUp, startApiProcess, startTestApi, type TestApi } from '@test/support';
import { scenario } from '../reliability/summary.js';

const PER_USER = 20;
const PER_IP = 60;
// Long enough that the window cannot roll over during the test.
const LIMITS = { HTTP_RATE_LIMIT_PER_USER: String(PER_USER), HTTP_RATE_LIMIT_PER_IP: String(PER_IP), HTTP_RATE_LIMIT_WINDOW_MS: '60000' };

/** REST flood row of issue 17: budgets hold across two api processes sharing Redis. */
describe('REST flood across two api processes', () => {
  let api: TestApi;
  let other: ApiProcess;
  let flooder: SignedUpUser;
  let bystander: SignedUpUser;
  const urls = (): string[] => [api.url, other.url];

  beforeAll(async () => {
    api = await startTestApi(LIMITS);
    other = await startApiProcess(api.env);
    [flooder, bystander] = await Promise.all([signUp(api), signUp(api)]);
  });
  afterAll(async () => {
    await other?.stop();
    await api?.close();
  });

  it('one user hammering a route gets 429 with Retry-After beyond its budget; other routes and users are untouched', () =>
    scenario('REST flood: one user, two processes', async (counts) => {
      // All at once, spread over both processes, each from another address (only the user budget applies).
      const flood = await Promise.all(
        Array.from({ length: PER_USER + 15 }, (_, i) =>
          request(urls()[i % 2])
            .get('/profile')
            .set('Authorization', `Bearer ${flooder.accessToken}`)
            .set('X-Forwarded-For', randomClientIp()),
        ),
      );
      const ok = flood.filter((r) => r.status === 200);
      const limited = flood.filter((r) => r.status === 429);
      expect([ok.length, limited.length]).toEqual([PER_USER, 15]);
      for (const r of limited) {
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
        expect(r.body).toMatchObject({ statusCode: 429, code: 'rate_limited', retryAfterSeconds: Number(r.headers['retry-after']) });
      }
      // The budget is per route: the same user can still use the rest of the app...
      const presence = await request(other.url)
        .get('/presence')
        .query({ userIds: bystander.userId })
        .set('Authorization', `Bearer ${flooder.accessToken}`);
      expect(presence.status).toBe(200);
      // ...and other users are not affected at all.
      for (const url of urls())
        expect((await request(url).get('/profile').set('Authorization', `Bearer ${bystander.accessToken}`)).status).toBe(200);
      counts.sent = flood.length;
      counts.acked = ok.length;
      counts.note = `${limited.length} x 429 beyond a budget of ${PER_USER}`;
    }));

  it('one address hammering (even without a token) gets 429 beyond its budget, on both processes', () =>
    scenario('REST flood: one IP, two processes', async (counts) => {
      const ip = randomClientIp();
      const flood = await Promise.all(
        Array.from({ length: PER_IP + 20 }, (_, i) =>
          request(urls()[i % 2])
            .get('/profile')
            .set('X-Forwarded-For', ip),
        ),
      );
      const statuses = flood.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(PER_IP);
      expect(statuses.filter((s) => s === 429)).toHaveLength(20);
      for (const r of flood.filter((x) => x.status === 429)) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      // Health probes are never limited, and other addresses go on.
      expect((await request(api.url).get('/health/live').set('X-Forwarded-For', ip)).status).toBe(200);
      expect((await request(api.url).get('/profile').set('X-Forwarded-For', randomClientIp())).status).toBe(401);
      counts.sent = flood.length;
      counts.note = `${statuses.filter((s) => s === 429).length} x 429 beyond a budget of ${PER_IP}`;
    }));
});
