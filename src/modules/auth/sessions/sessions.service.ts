import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { AppError, isObjectId, OnDomainEvent, type DomainEvents } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { AppConfig } from '../../../config/index.js';
import type { SessionDto } from '../dto/session.dto.js';
import { AccessTokens } from '../tokens/access-tokens.js';
import { LiveSessions } from './live-sessions.js';
import { hashRefreshToken, newRefreshToken } from './refresh-token.js';
import { SessionsRepository } from './sessions.repository.js';

export interface IssuedTokens {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
}

const refused = (code: string, message: string): AppError => new AppError(HttpStatus.UNAUTHORIZED, code, message);

@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    private readonly repo: SessionsRepository,
    private readonly live: LiveSessions,
    private readonly tokens: AccessTokens,
    private readonly realtime: RealtimeEmitter,
    private readonly config: AppConfig,
  ) {}

  private expiry(from: Date): Date {
    return new Date(from.getTime() + this.config.auth.refreshTtlDays * 86_400_000);
  }

  async create(userId: string, deviceName: string | null): Promise<IssuedTokens> {
    const session = await this.repo.create(userId, deviceName, this.expiry(new Date()));
    return this.issue(userId, session.id, session.expiresAt);
  }

  private async issue(userId: string, sessionId: string, expiresAt: Date): Promise<IssuedTokens> {
    const refresh = newRefreshToken();
    await this.repo.insertRefreshToken(refresh.hash, sessionId, expiresAt);
    await this.live.markLive(sessionId, userId);
    return { sessionId, accessToken: await this.tokens.sign(userId, sessionId), refreshToken: refresh.token };
  }

  /**
   * Rotation: the presented token is marked used atomically (only one concurrent refresh can win)
   * and a new one issued. A token that was already used is a replay (stolen, or a client bug): the
   * whole session is revoked, so whoever holds the newest token is signed out too.
   */
  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const now = new Date();
    const hash = hashRefreshToken(refreshToken);
    const consumed = await this.repo.consumeRefreshToken(hash, now);
    if (!consumed) {
      const known = await this.repo.findRefreshToken(hash);
      if (known) {
        await this.revoke(known.sessionId, 'refresh_token_reuse');
        this.logger.warn({ sessionId: known.sessionId }, 'refresh token reuse: session revoked');
        throw refused('refresh_token_reused', 'This refresh token was already used; the session has been revoked');
      }
      throw refused('invalid_refresh_token', 'Unknown refresh token');
    }
    const session = await this.repo.findById(consumed.sessionId);
    if (!session || session.revokedAt) throw refused('session_revoked', 'This session has been revoked');
    if (session.expiresAt <= now || consumed.expiresAt <= now) throw refused('session_expired', 'This session has expired; sign in again');
    const expiresAt = this.expiry(now);
    await this.repo.touch(session.id, now, expiresAt);
    const issued = await this.issue(session.userId, session.id, expiresAt);
    // A revoke that landed after the check above would be undone by issue()'s markLive: look again
    // (revoke writes the database before it deletes the live key, so one of the two always sees the other).
    const after = await this.repo.findById(session.id);
    if (!after || after.revokedAt) {
      await this.live.kill([session.id]);
      throw refused('session_revoked', 'This session has been revoked');
    }
    return issued;
  }

  /**
   * Revokes a session everywhere: its access tokens are refused at once and its sockets, told why
   * (`session:revoked`), are dropped. Both go through the same adapter stream, so every api process
   * delivers the event before it cuts the socket.
   */
  async revoke(sessionId: string, reason: string, userId?: string): Promise<boolean> {
    const revoked = await this.repo.revoke(sessionId, reason, userId);
    if (revoked || !userId) {
      await this.live.kill([sessionId]);
      this.realtime.toSession(sessionId, 'session:revoked', { sessionId, reason });
      this.realtime.disconnectSession(sessionId);
    }
    return revoked;
  }

  /** DELETE /auth/sessions/:id: only the caller's own sessions; another user's id is a 404, not a 403. */
  async revokeOwn(userId: string, sessionId: string): Promise<void> {
    if (!isObjectId(sessionId) || !(await this.revoke(sessionId, 'revoked_by_user', userId))) {
      throw new AppError(HttpStatus.NOT_FOUND, 'session_not_found', 'No such live session');
    }
  }

  async list(userId: string, currentSessionId: string): Promise<SessionDto[]> {
    const sessions = await this.repo.liveOf(userId, new Date());
    const seen = await this.live.lastSeen(sessions.map((s) => s.id));
    return sessions.map((s) => {
      const lastSeen = seen.get(s.id);
      const lastUsedAt = lastSeen && lastSeen > s.lastUsedAt ? lastSeen : s.lastUsedAt;
      return {
        id: s.id,
        deviceName: s.deviceName,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: lastUsedAt.toISOString(),
        current: s.id === currentSessionId,
      };
    });
  }

  @OnDomainEvent('user.deleted')
  async revokeAllOf({ userId }: DomainEvents['user.deleted']): Promise<void> {
    const sessions = await this.repo.liveOf(userId, new Date(0));
    await Promise.all(sessions.map((s) => this.revoke(s.id, 'account_deleted', userId)));
  }

  deleteExpired(): Promise<{ sessions: number; tokens: number }> {
    return this.repo.deleteExpired(new Date());
  }
}
