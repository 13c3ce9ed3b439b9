import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { SocketIdentity } from '../socket-authenticator.js';

/**
 * `@SocketUser() user: SocketIdentity` in a socket handler: who sent the event (`{ userId, sessionId }`),
 * as authenticated at the handshake. Never take the acting user from the payload.
 */
export const SocketUser = createParamDecorator((_: unknown, ctx: ExecutionContext): SocketIdentity => {
  const identity = (ctx.switchToWs().getClient<Socket>().data as { identity?: SocketIdentity }).identity;
  if (!identity) throw new Error('socket without identity: the handshake middleware did not run');
  return identity;
});

/**
 * `@SocketClient() socket: Socket`: the socket itself (rarely needed: emit through RealtimeEmitter).
 * Prefer it to `@ConnectedSocket()`, whose `Socket` type would be handed to the global ValidationPipe.
 */
export const SocketClient = createParamDecorator((_: unknown, ctx: ExecutionContext): Socket => ctx.switchToWs().getClient<Socket>());
