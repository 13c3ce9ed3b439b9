import { HttpStatus } from '@nestjs/common';
import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { AppError } from '@app/common';
import { SocketClient, SocketGateway, type SocketIdentity, SocketTokenExpiry, SocketUser } from '@app/realtime';
import { SocketRefreshDto } from './dto/socket-refresh.dto.js';
import { AccessTokens } from './tokens/access-tokens.js';
import { TokenRefused } from './tokens/token-refused.js';

/** The auth socket events: keeping a live socket's authentication current. */
@SocketGateway()
export class AuthGateway {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly expiry: SocketTokenExpiry,
  ) {}

  /**
   * Re-authenticates the socket with a fresh access token of the same session (verified exactly like
   * the handshake), so it outlives its first token. Ack: when the new token expires.
   */
  @SubscribeMessage('auth:refresh')
  async refresh(
    @SocketUser() user: SocketIdentity,
    @SocketClient() socket: Socket,
    @MessageBody() dto: SocketRefreshDto,
  ): Promise<{ expiresAt: string }> {
    let verified: Awaited<ReturnType<AccessTokens['verifyWithExpiry']>>;
    try {
      verified = await this.tokens.verifyWithExpiry(dto.accessToken);
    } catch (err) {
      if (err instanceof TokenRefused) throw new AppError(HttpStatus.UNAUTHORIZED, err.code, err.message);
      throw err;
    }
    // Another session's token would move this socket out of its session's reach (logout, revoke).
    if (verified.user.sessionId !== user.sessionId || verified.user.userId !== user.userId) {
      throw new AppError(HttpStatus.FORBIDDEN, 'session_mismatch', "The token belongs to another session than this socket's");
    }
    this.expiry.track(socket, verified.expiresAt.getTime());
    return { expiresAt: verified.expiresAt.toISOString() };
  }
}
