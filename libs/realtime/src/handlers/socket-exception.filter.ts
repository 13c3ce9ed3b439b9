import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { SocketIdentity } from '../socket-authenticator.js';
import { type SocketAck, toSocketError } from './socket-error.js';

/**
 * Answers a failed socket handler through its ack (`{ ok: false, error }`), or, when the client sent
 * no ack callback, with an `error` event naming the event. Unknown errors are logged with the event
 * and user and reach the client only as `internal`.
 */
@Catch()
export class SocketExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SocketHandlers');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const socket = ws.getClient<Socket>();
    const event = ws.getPattern();
    const { body, internal } = toSocketError(exception);
    if (internal) {
      const identity = (socket.data as { identity?: SocketIdentity }).identity;
      this.logger.error({ err: exception, event, userId: identity?.userId, socketId: socket.id }, 'socket handler failed');
    }
    // Nest passes [socket, payload, ack?, pattern]; the ack is the only function among them.
    const ack = host.getArgs().find((arg): arg is (answer: SocketAck) => void => typeof arg === 'function');
    if (ack) ack({ ok: false, error: body });
    else socket.emit('error', { event, ...body });
  }
}
