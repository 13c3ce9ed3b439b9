import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '@app/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS, type Redis } from '../../src/core/redis/redis.module.js';
import { connectSocket, readOtp, signUp, startTestApi, type TestApi, uniqueEmail, waitForDisconnect } from '@test/support';

/** Records 'user.deleted' as the profile, connections and chat modules would receive it. */
@Injectable()
class DeletedUsers {
  readonly ids: string[] = [];
  @OnDomainEvent('user.deleted')
  onDeleted({ userId }: { userId: string }): void {
    this.ids.push(userId);
  }
}

describe('users', () => {
  let api: TestApi;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    api = await startTestApi({}, { providers: [DeletedUsers] });
  });
  afterAll(() => api.close());

  it('GET /users/:id returns public fields only', async () => {
    const a = await signUp(api);
    const b = await signUp(api, { identifier: '+14155552671' });
    const res = await request(api.url).get(`/users/${b.userId}`).set(auth(a.accessToken));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(b.userId);
    expect(JSON.stringify(res.body)).not.toContain('+14155552671');
    expect(res.body).not.toHaveProperty('phone');
    expect(res.body).not.toHaveProperty('email');
    const missing = await request(api.url).get('/users/665f1c2b9a1e4d3f2a1b0c9d').set(auth(a.accessToken));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('user_not_found');
    expect((await request(api.url).get('/users/nope').set(auth(a.accessToken))).status).toBe(400);
  });

  it('adds an email to a phone account by verifying a code sent to it', async () => {
    const user = await signUp(api, { identifier: '+447400123457' });
    const email = uniqueEmail('second');
    const requested = await request(api.url).post('/users/me/identifiers/request').set(auth(user.accessToken)).send({ identifier: email });
    expect(requested.status).toBe(202);
    const code = await readOtp(api, email);
    const wrongUser = await signUp(api);
    // The code is bound to the account that asked for it.
    const stolen = await request(api.url)
      .post('/users/me/identifiers/verify')
      .set(auth(wrongUser.accessToken))
      .send({ identifier: email, code });
    expect(stolen.status).toBe(401);
    const linked = await request(api.url)
      .post('/users/me/identifiers/verify')
      .set(auth(user.accessToken))
      .send({ identifier: email, code });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ id: user.userId, phone: '+447400123457', email });
    // The email now signs in to the same account.
    expect((await signUp(api, { identifier: email })).userId).toBe(user.userId);
  });

  it('links at most one email to an account when two link verifies race', async () => {
    const user = await signUp(api, { identifier: '+447400123459' });
    const emails = [uniqueEmail('race-a'), uniqueEmail('race-b')];
    const codes: string[] = [];
    for (const email of emails) {
      await request(api.url).post('/users/me/identifiers/request').set(auth(user.accessToken)).send({ identifier: email }).expect(202);
      codes.push(await readOtp(api, email));
    }
    const results = await Promise.all(
      emails.map((email, i) =>
        request(api.url).post('/users/me/identifiers/verify').set(auth(user.accessToken)).send({ identifier: email, code: codes[i] }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.code).toBe('identifier_type_exists');
    const me = await request(api.url).get('/users/me').set(auth(user.accessToken));
    expect(emails).toContain(me.body.email);
    const stored = await api.connection.collection('user_identifiers').countDocuments({ userId: user.userId, type: 'email' });
    expect(stored).toBe(1);
  });

  it('refuses an identifier that belongs to another account', async () => {
    const owner = await signUp(api);
    const other = await signUp(api, { identifier: '+447400123458' });
    // The owner just received a sign-in code; skip the resend cooldown that now (rightly) protects them.
    await api.app.get<Redis>(REDIS).del(`${api.env.REDIS_PREFIX}:auth:otp-cooldown:${owner.identifier}`);
    await request(api.url)
      .post('/users/me/identifiers/request')
      .set(auth(other.accessToken))
      .send({ identifier: owner.identifier })
      .expect(202);
    const code = await readOtp(api, owner.identifier);
    const res = await request(api.url)
      .post('/users/me/identifiers/verify')
      .set(auth(other.accessToken))
      .send({ identifier: owner.identifier, code });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('identifier_taken');
  });

  it('DELETE /users/me frees identifiers, revokes sessions, drops sockets and emits user.deleted', async () => {
    const user = await signUp(api, { identifier: '+447400123459' });
    const second = await signUp(api, { identifier: user.identifier });
    const socket = await connectSocket(api.url, second.accessToken);
    const dropped = waitForDisconnect(socket);
    const del = await request(api.url).delete('/users/me').set(auth(user.accessToken));
    expect(del.status).toBe(204);
    await dropped;
    for (const token of [user.accessToken, second.accessToken]) {
      expect((await request(api.url).get('/users/me').set(auth(token))).body.code).toBe('session_revoked');
    }
    expect((await request(api.url).post('/auth/refresh').send({ refreshToken: second.refreshToken })).status).toBe(401);
    expect(api.app.get(DeletedUsers).ids).toContain(user.userId);
    const stranger = await signUp(api);
    expect((await request(api.url).get(`/users/${user.userId}`).set(auth(stranger.accessToken))).status).toBe(404);
    // The phone number is free: signing in with it creates a new account.
    const again = await signUp(api, { identifier: user.identifier });
    expect(again.userId).not.toBe(user.userId);
  });
});
