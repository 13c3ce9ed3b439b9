import { Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { HandshakeRefused, SocketAuthenticator, type SocketIdentity } from '@app/realtime';
import { AccessTokens } from './access-tokens.js';
import { TokenRefused } from './token-refused.js';

/**
 * The socket handshake's check: the same verification as HTTP (AccessTokens), including revoked
 * sessions. The token comes from `auth.token` (or an `Authorization: Bearer` header for non-browser clients).
 */
@Injectable()
export class JwtSocketAuthenticator extends SocketAuthenticator {
  constructor(private readonly tokens: AccessTokens) {
    super();
  }

  async authenticate(socket: Socket): Promise<SocketIdentity> {
    const token = tokenOf(socket);
    if (!token) throw new HandshakeRefused('unauthorized');
    try {
      const { user, expiresAt } = await this.tokens.verifyWithExpiry(token);
      return { ...user, expiresAt: expiresAt.getTime() };
    } catch (err) {
      if (err instanceof TokenRefused) throw new HandshakeRefused(err.code === 'session_revoked' ? 'session_revoked' : 'unauthorized');
      throw err;
    }
  }
}

function tokenOf(socket: Socket): string | null {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string' && auth.token.length > 0) return auth.token.replace(/^Bearer\s+/i, '');
  const header = socket.handshake.headers.authorization;
  return typeof header === 'string' && /^Bearer\s+\S+/i.test(header) ? header.replace(/^Bearer\s+/i, '') : null;
}
