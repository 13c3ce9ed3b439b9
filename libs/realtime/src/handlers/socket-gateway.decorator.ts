/**
 * HOW TO WRITE A SOCKET HANDLER (copy this pattern into src/modules/<feature>/<feature>.gateway.ts)
 *
 *   import type { Socket } from 'socket.io';                      // `import type`, never a value import
 *   import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
 *   import { SocketGateway, SocketUser, type SocketIdentity } from '@app/realtime';
 *
 *   @SocketGateway()
 *   export class ChatGateway {
 *     constructor(private readonly chat: ChatService) {}
 *
 *     @SubscribeMessage('chat:send')
 *     send(@SocketUser() user: SocketIdentity, @MessageBody() dto: SendMessageDto): Promise<MessageView> {
 *       return this.chat.send(user.userId, dto);    // authorize inside: is user a participant of dto.chatId?
 *     }
 *   }
 *
 * and list ChatGateway in the feature module's `providers`. What the client gets:
 *   - return value v            -> ack `{ ok: true, data: v }` (`undefined` -> `data: null`)
 *   - throw AppError(s, code, m) -> ack `{ ok: false, error: { code, message } }`
 *   - invalid payload           -> ack `{ ok: false, error: { code: 'validation_failed', message, fields } }`
 *     (DTO with class-validator: whitelist + forbidNonWhitelisted; `$`/dotted keys refused anywhere)
 *   - any other error           -> ack `{ ok: false, error: { code: 'internal', message: 'Internal server error' } }`,
 *     logged with event, user and stack
 *   - no ack callback sent      -> failures arrive as an `error` event `{ event, code, message, fields? }`
 * Every socket is already authenticated (handshake), in rooms `user:<id>` and `session:<sid>`, rate limited
 * per socket and payload-capped; handlers still authorize each resource they touch. Send events to users
 * through RealtimeEmitter (never the socket), and add each new event to events.ts and docs/asyncapi.yaml.
 * Do not use `@ConnectedSocket()` with a value-imported `Socket` type (the global ValidationPipe would walk
 * the socket); use `@SocketClient()` if the socket itself is needed.
 */
import { applyDecorators, UseFilters, UseInterceptors, UsePipes } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { SocketAckInterceptor } from './socket-ack.interceptor.js';
import { SocketExceptionFilter } from './socket-exception.filter.js';
import { SocketValidationPipe } from './socket-validation.pipe.js';

/**
 * A feature gateway on the app's one Socket.IO server, with the ack answer shape, payload validation
 * and error mapping described above.
 */
export function SocketGateway(): ClassDecorator {
  return applyDecorators(
    WebSocketGateway(),
    UseFilters(new SocketExceptionFilter()),
    UsePipes(new SocketValidationPipe()),
    UseInterceptors(new SocketAckInterceptor()),
  );
}
