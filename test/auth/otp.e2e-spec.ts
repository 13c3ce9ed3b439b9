import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeInMail, type Mailbox, startMailbox, startTestApi, type TestApi, uniqueEmail } from '@test/support';
import { REDIS, type Redis } from '../../src/core/redis/redis.module.js';

/** Sign-in by emailed code, through a real local SMTP server. */
describe('OTP sign-in over SMTP', () => {
  let api: TestApi;
  let mailbox: Mailbox;
  const ip = (n: number): string => `203.0.113.${n}`;
  const requestCode = (identifier: string, from = ip(1)): request.Test =>
    request(api.url).post('/auth/otp/request').set('X-Forwarded-For', from).send({ identifier });
  const verify = (identifier: string, code: string): request.Test => request(api.url).post('/auth/otp/verify').send({ identifier, code });
  const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  beforeAll(async () => {
    mailbox = await startMailbox();
    api = await startTestApi({ OTP_DELIVERY: 'smtp', SMTP_URL: mailbox.url, MAIL_FROM: 'Chat <no-reply@chat.test>' });
  });
  afterAll(async () => {
    await api.close();
    await mailbox.close();
  });

  it('request, read the code from the mail, verify, then /users/me', async () => {
    const email = uniqueEmail('Ada').toUpperCase();
    const requested = await requestCode(`  ${email} `);
    expect(requested.status).toBe(202);
    expect(requested.body).toEqual({ message: expect.any(String), expiresInSeconds: 300, resendAfterSeconds: 60 });
    const mail = await mailbox.next(email);
    expect(mail.raw).toContain('From: Chat <no-reply@chat.test>');
    const verified = await request(api.url)
      .post('/auth/otp/verify')
      .send({ identifier: email, code: codeInMail(mail), deviceName: 'Pixel 8' });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ isNewUser: true, user: { email: email.toLowerCase(), phone: null } });
    expect(verified.body.accessToken.split('.')).toHaveLength(3);
    expect(verified.body.refreshToken).toMatch(/^rt_/);
    const me = await request(api.url).get('/users/me').set('Authorization', `Bearer ${verified.body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(verified.body.user);

    // Signing in again finds the same account.
    await api.app.get<Redis>(REDIS).del(`${api.env.REDIS_PREFIX}:auth:otp-cooldown:${email.toLowerCase()}`);
    await requestCode(email).expect(202);
    const again = await verify(email, codeInMail(await mailbox.next(email)));
    expect(again.body).toMatchObject({ isNewUser: false, user: { id: verified.body.user.id } });
  });

  it('gives known and unknown identifiers identical answers', async () => {
    const known = uniqueEmail('known');
    await requestCode(known).expect(202);
    await verify(known, codeInMail(await mailbox.next(known))).expect(200);
    await api.app.get<Redis>(REDIS).del(`${api.env.REDIS_PREFIX}:auth:otp-cooldown:${known}`);
    const a = await requestCode(known, ip(2));
    const b = await requestCode(uniqueEmail('unknown'), ip(2));
    expect(a.status).toBe(b.status);
    expect(a.body).toEqual(b.body);
    const headers = (r: request.Response): string[] =>
      Object.keys(r.headers)
        .filter((h) => !['date', 'x-request-id', 'etag', 'content-length'].includes(h))
        .sort();
    expect(headers(a)).toEqual(headers(b));
  });

  it('answers a second request within the cooldown with 429 and Retry-After', async () => {
    const email = uniqueEmail();
    await requestCode(email).expect(202);
    const again = await requestCode(email);
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ code: 'otp_cooldown', retryAfterSeconds: expect.any(Number) });
    const retryAfter = Number(again.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts wrong tries and refuses the sixth even with the right code', async () => {
    const email = uniqueEmail();
    await requestCode(email).expect(202);
    const code = codeInMail(await mailbox.next(email));
    for (let left = 4; left >= 0; left--) {
      const res = await verify(email, wrong(code));
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'otp_invalid', attemptsLeft: left });
    }
    const sixth = await verify(email, code);
    expect(sixth.status).toBe(401);
    expect(sixth.body.code).toBe('otp_burned');
  });

  it('lets exactly one of 20 concurrent correct verifies succeed', async () => {
    const email = uniqueEmail();
    await requestCode(email).expect(202);
    const code = codeInMail(await mailbox.next(email));
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(email, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(19);
    const used = await verify(email, code);
    expect(used.body.code).toBe('otp_used');
  });

  it('refuses an expired code with its own error code', async () => {
    const email = uniqueEmail();
    await requestCode(email).expect(202);
    const code = codeInMail(await mailbox.next(email));
    // Move the code's expiry into the past rather than waiting five minutes.
    await api.app.get<Redis>(REDIS).hset(`${api.env.REDIS_PREFIX}:auth:otp:sign_in:${email}`, 'exp', String(Date.now() - 1));
    const res = await verify(email, code);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('otp_expired');
  });

  it('replaces the previous code on a new request', async () => {
    const email = uniqueEmail();
    await requestCode(email).expect(202);
    const first = codeInMail(await mailbox.next(email));
    await api.app.get<Redis>(REDIS).del(`${api.env.REDIS_PREFIX}:auth:otp-cooldown:${email}`);
    await requestCode(email).expect(202);
    const second = codeInMail(await mailbox.next(email));
    if (first !== second) expect((await verify(email, first)).body.code).toBe('otp_invalid');
    expect((await verify(email, second)).status).toBe(200);
  });

  it('answers a phone number with only smtp configured with a clear 503', async () => {
    const res = await requestCode('+447400123456');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'otp_channel_unavailable', message: expect.stringMatching(/phone/) });
  });

  it('refuses bad identifiers and malformed bodies with 400 and field errors', async () => {
    const national = await requestCode('07400 123456');
    expect(national.status).toBe(400);
    expect(national.body).toMatchObject({ code: 'invalid_identifier', fields: { identifier: [expect.stringMatching(/country/)] } });
    const badEmail = await requestCode('ada@');
    expect(badEmail.body).toMatchObject({ code: 'invalid_identifier', fields: { identifier: ['not a valid email address'] } });
    const missing = await request(api.url).post('/auth/otp/request').send({});
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toHaveProperty('identifier');
    const badCode = await request(api.url).post('/auth/otp/verify').send({ identifier: uniqueEmail(), code: '12ab' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.fields).toHaveProperty('code');
    const extra = await request(api.url).post('/auth/otp/verify').send({ identifier: uniqueEmail(), code: '123456', admin: true });
    expect(extra.body.fields).toHaveProperty('admin');
  });

  it('refuses operator payloads in any field', async () => {
    for (const [path, body] of [
      ['/auth/otp/request', { identifier: { $gt: '' } }],
      ['/auth/otp/verify', { identifier: uniqueEmail(), code: { $ne: null } }],
      ['/auth/otp/verify', { identifier: { $regex: '.*' }, code: '123456' }],
      ['/auth/refresh', { refreshToken: { $gt: '' } }],
    ] as const) {
      const res = await request(api.url).post(path).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('keeps codes out of the database and Redis in clear', async () => {
    const email = uniqueEmail();
    await requestCode(email).expect(202);
    const code = codeInMail(await mailbox.next(email));
    const stored = await api.app.get<Redis>(REDIS).hgetall(`${api.env.REDIS_PREFIX}:auth:otp:sign_in:${email}`);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored.h).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists every country with calling code and example', async () => {
    const res = await request(api.url).get('/auth/countries');
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(200);
    expect(res.body).toContainEqual({ code: 'GB', name: 'United Kingdom', callingCode: '+44', example: expect.stringMatching(/^\+44 /) });
  });
});
