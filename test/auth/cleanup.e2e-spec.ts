import { Types } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApi, type TestApi } from '@test/support';
import { AuthCleanup, AuthCleanupModule } from '../../src/modules/auth/auth-cleanup.js';

/** The auth queue's auth.cleanup job (AuthCleanup.run is all its processor calls). */
describe('auth cleanup job', () => {
  let api: TestApi;
  const refresh = (refreshToken: string): request.Test => request(api.url).post('/auth/refresh').send({ refreshToken });

  beforeAll(async () => {
    api = await startTestApi({}, { imports: [AuthCleanupModule] });
  });
  afterAll(() => api.close());

  it('deletes expired sessions and refresh tokens, and keeps live ones', async () => {
    const live = await signUp(api);
    const stale = await signUp(api);
    const past = new Date(Date.now() - 1000);
    await api.connection.collection('sessions').updateOne({ _id: new Types.ObjectId(stale.sessionId) }, { $set: { expiresAt: past } });
    await api.connection.collection('refresh_tokens').updateMany({ sessionId: stale.sessionId }, { $set: { expiresAt: past } });
    // Expiry is enforced at query time, before any cleanup ran.
    expect((await refresh(stale.refreshToken)).body.code).toBe('session_expired');

    expect(await api.app.get(AuthCleanup).run()).toEqual({ sessions: 1, tokens: 1 });
    expect(await api.connection.collection('sessions').countDocuments({ _id: new Types.ObjectId(stale.sessionId) })).toBe(0);
    expect(await api.connection.collection('refresh_tokens').countDocuments({ sessionId: stale.sessionId })).toBe(0);
    expect((await refresh(stale.refreshToken)).body.code).toBe('invalid_refresh_token');
    // The live session is untouched.
    expect((await refresh(live.refreshToken)).status).toBe(200);
  });
});
