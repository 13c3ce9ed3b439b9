import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import { SocketGateway, type SocketIdentity, SocketUser } from '@app/realtime';
import type { AcceptedDto } from './dto/contact.dto.js';
import type { ConnectionRequestDto } from './dto/request.dto.js';
import { SocketRespondDto } from './dto/respond.dto.js';
import { RequestAnswers } from './request-answers.js';

/** The connection socket events (thin: the same service call as the REST routes). */
@SocketGateway()
export class ConnectionsGateway {
  constructor(private readonly answers: RequestAnswers) {}

  /**
   * Ack: as POST /connections/requests/:id/accept (`{ request, contact }`) or /reject (the request);
   * errors as REST: request_not_found, not_receiver, request_not_pending, request_expired.
   */
  @SubscribeMessage('connection:respond')
  respond(@SocketUser() user: SocketIdentity, @MessageBody() dto: SocketRespondDto): Promise<AcceptedDto | ConnectionRequestDto> {
    return this.answers.respond(user.userId, dto.requestId.toLowerCase(), dto.accept);
  }
}
