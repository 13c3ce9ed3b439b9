import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupTestData,
  connectSocket,
  freePort,
  runProcess,
  type RunningProcess,
  testEnv,
  uniqueEmail,
  waitForDisconnect,
} from '@test/support';

/**
 * Two api processes (compiled dist: run `nest build` first) sharing MongoDB, Redis,
 * REDIS_PREFIX and JWT_SECRET: the OTP limits are counted in Redis, so alternating between the
 * processes does not double anyone's allowance.
 */
describe('OTP limits and logout across two api processes', () => {
  const env = testEnv({
    OTP_RESEND_COOLDOWN_SECONDS: '0',
    OTP_HOURLY_LIMIT_PER_IDENTIFIER: '3',
    OTP_HOURLY_LIMIT_PER_IP: '4',
    LOG_LEVEL: 'info',
  });
  const urls: string[] = [];
  const procs: RunningProcess[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const proc = runProcess('main', { ...env, PORT: String(port) });
      procs.push(proc);
      urls.push(`http://127.0.0.1:${port}`);
    }
    await Promise.all(procs.map((p) => p.waitFor(/api listening/, 30_000)));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop('SIGTERM')));
    await cleanupTestData(env);
  });

  const ask = (i: number, identifier: string, ip: string): request.Test =>
    request(urls[i % 2])
      .post('/auth/otp/request')
      .set('X-Forwarded-For', ip)
      .send({ identifier });

  it('holds the per-identifier hourly limit', async () => {
    const email = uniqueEmail();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await ask(i, email, `198.51.100.${i + 1}`)).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const refused = await ask(1, email, '198.51.100.99');
    expect(refused.body.code).toBe('otp_rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
  });

  it('holds the per-IP hourly limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await ask(i, uniqueEmail(), '198.51.100.200')).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
    // Another address is not affected.
    expect((await ask(0, uniqueEmail(), '198.51.100.201')).status).toBe(202);
  });

  it("logout through one process drops the session's socket held by the other", async () => {
    const email = uniqueEmail();
    await ask(0, email, '198.51.100.50').expect(202);
    const redis = new Redis(env.REDIS_URL);
    let code: string | null = null;
    try {
      for (let i = 0; i < 200 && !code; i++) {
        code = await redis.get(`${env.REDIS_PREFIX}:auth:test-outbox:${email}`);
        if (!code) await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      redis.disconnect();
    }
    const signedIn = await request(urls[1]).post('/auth/otp/verify').send({ identifier: email, code }).expect(200);
    const token = signedIn.body.accessToken as string;
    const socket = await connectSocket(urls[0], token);
    try {
      const dropped = waitForDisconnect(socket);
      await request(urls[1]).post('/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
      expect(await dropped).toBe('io server disconnect');
      const refused = await request(urls[0]).get('/users/me').set('Authorization', `Bearer ${token}`);
      expect(refused.body.code).toBe('session_revoked');
    } finally {
      socket.close();
    }
  });
});
