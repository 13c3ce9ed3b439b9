import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../../config/index.js';
import type { AuthUser } from '../../../core/http/current-user.decorator.js';
import { isObjectId } from '@app/common';
import { LiveSessions } from '../sessions/live-sessions.js';
import { SessionsRepository } from '../sessions/sessions.repository.js';
import { TokenRefused } from './token-refused.js';

/** The algorithm is pinned: a token claiming any other (`none`, RS256 with our secret as key) is refused. */
export const JWT_ALGORITHM = 'HS256';

export interface AccessTokenPayload {
  sub: string;
  sid: string;
}

/**
 * Issues and checks access tokens. HTTP (passport-jwt strategy) and the socket handshake both end in
 * `checkPayload`, and use the same secret, algorithm and issuer, so they accept exactly the same tokens.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly live: LiveSessions,
    private readonly sessions: SessionsRepository,
  ) {}

  /** Options passport-jwt and `verify` share. */
  verifyOptions(): { secret: string; algorithms: ['HS256']; issuer: string } {
    return { secret: this.config.jwtSecret, algorithms: [JWT_ALGORITHM], issuer: this.config.auth.issuer };
  }

  sign(userId: string, sessionId: string): Promise<string> {
    return this.jwt.signAsync({ sub: userId, sid: sessionId } satisfies AccessTokenPayload, {
      secret: this.config.jwtSecret,
      algorithm: JWT_ALGORITHM,
      issuer: this.config.auth.issuer,
      expiresIn: this.config.auth.accessTtlSeconds,
    });
  }

  /** Full verification of a raw token (socket handshake). */
  async verify(token: string): Promise<AuthUser> {
    const { user } = await this.verifyWithExpiry(token);
    return user;
  }

  /** Full verification, and when the token expires: a socket is held to it (handshake, auth:refresh). */
  async verifyWithExpiry(token: string): Promise<{ user: AuthUser; expiresAt: Date }> {
    let payload: unknown;
    try {
      payload = await this.jwt.verifyAsync(token, this.verifyOptions());
    } catch (err) {
      if ((err as { name?: string }).name === 'TokenExpiredError') throw new TokenRefused('token_expired', 'The access token has expired');
      throw new TokenRefused('unauthorized', 'Invalid access token');
    }
    const user = await this.checkPayload(payload);
    const { exp } = payload as { exp?: unknown };
    // Every token this service signs has `exp`; a verified one without it could only come from our own secret.
    if (typeof exp !== 'number') throw new TokenRefused('unauthorized', 'Invalid access token');
    return { user, expiresAt: new Date(exp * 1000) };
  }

  /** After the signature, algorithm, issuer and expiry were checked: the claims and the session. */
  async checkPayload(payload: unknown): Promise<AuthUser> {
    const { sub, sid } = (payload ?? {}) as Partial<AccessTokenPayload>;
    if (!isObjectId(sub) || !isObjectId(sid)) throw new TokenRefused('unauthorized', 'Invalid access token');
    if (!(await this.live.isLive(sid, sub)) && !(await this.revive(sid, sub))) {
      throw new TokenRefused('session_revoked', 'This session has been revoked');
    }
    this.live.touch(sid);
    return { userId: sub, sessionId: sid };
  }

  /**
   * The live key is missing: revoked (revoke writes the database first, then deletes the key), or lost
   * because Redis came back empty. The database decides; a live session gets its key back, so one
   * lookup per session re-warms it instead of signing every user out. A revoke racing this re-warm is
   * caught by looking again after writing the key (the same order argument as in refresh).
   */
  private async revive(sessionId: string, userId: string): Promise<boolean> {
    const live = async (): Promise<boolean> => {
      const session = await this.sessions.findById(sessionId);
      return !!session && session.userId === userId && !session.revokedAt && session.expiresAt > new Date();
    };
    if (!(await live())) return false;
    await this.live.markLive(sessionId, userId);
    if (await live()) return true;
    await this.live.kill([sessionId]);
    return false;
  }
}
