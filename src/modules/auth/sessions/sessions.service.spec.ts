import type { AppError } from '@app/common';
import type { RealtimeEmitter } from '@app/realtime';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../config/index.js';
import type { AccessTokens } from '../tokens/access-tokens.js';
import type { LiveSessions } from './live-sessions.js';
import { hashRefreshToken } from './refresh-token.js';
import type { RefreshTokenRecord, SessionRecord, SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';

const SESSION_ID = '665f1c2b9a1e4d3f2a1b0c9d';
const USER_ID = '665f1c2b9a1e4d3f2a1b0c9e';

/** In-memory repository and live-session set: enough to interleave a revoke with a refresh. */
function setup(onTouch: (service: SessionsService) => Promise<void> = () => Promise.resolve()) {
  const far = new Date(Date.now() + 86_400_000);
  const session: SessionRecord = {
    id: SESSION_ID,
    userId: USER_ID,
    deviceName: null,
    createdAt: new Date(),
    lastUsedAt: new Date(),
    expiresAt: far,
    revokedAt: null,
  };
  const tokens = new Map<string, RefreshTokenRecord>([
    [hashRefreshToken('rt_first'), { sessionId: SESSION_ID, usedAt: null, expiresAt: far }],
  ]);
  const live = new Set<string>([SESSION_ID]);
  const repo = {
    consumeRefreshToken: (hash: string, now: Date) => {
      const t = tokens.get(hash);
      if (!t || t.usedAt) return Promise.resolve(null);
      t.usedAt = now;
      return Promise.resolve({ ...t });
    },
    findRefreshToken: (hash: string) => Promise.resolve(tokens.get(hash) ?? null),
    findById: () => Promise.resolve({ ...session }),
    touch: () => onTouch(service),
    insertRefreshToken: (hash: string, sessionId: string, expiresAt: Date) => {
      tokens.set(hash, { sessionId, usedAt: null, expiresAt });
      return Promise.resolve();
    },
    revoke: () => {
      const was = session.revokedAt === null;
      session.revokedAt = new Date();
      return Promise.resolve(was);
    },
  } as unknown as SessionsRepository;
  const liveSessions = {
    markLive: (id: string) => Promise.resolve(void live.add(id)),
    kill: (ids: readonly string[]) => Promise.resolve(ids.forEach((id) => live.delete(id))),
  } as unknown as LiveSessions;
  const accessTokens = { sign: () => Promise.resolve('access') } as unknown as AccessTokens;
  const realtime = { toSession: () => undefined, disconnectSession: () => undefined } as unknown as RealtimeEmitter;
  const config = { auth: { refreshTtlDays: 30 } } as AppConfig;
  const service = new SessionsService(repo, liveSessions, accessTokens, realtime, config);
  return { service, live };
}

describe('SessionsService.refresh', () => {
  it('rotates the token and keeps the session live', async () => {
    const { service, live } = setup();
    const issued = await service.refresh('rt_first');
    expect(issued.refreshToken).toMatch(/^rt_/);
    expect(issued.refreshToken).not.toBe('rt_first');
    expect(live.has(SESSION_ID)).toBe(true);
  });

  it('does not bring a session revoked mid-refresh back to life', async () => {
    // The logout lands after refresh checked the session but before it marks it live again.
    const { service, live } = setup((s) => s.revoke(SESSION_ID, 'logout', USER_ID).then(() => undefined));
    const err = await service.refresh('rt_first').then(
      () => null,
      (e: unknown) => e as AppError,
    );
    expect(err?.getResponse()).toMatchObject({ code: 'session_revoked' });
    expect(live.has(SESSION_ID)).toBe(false);
  });
});
