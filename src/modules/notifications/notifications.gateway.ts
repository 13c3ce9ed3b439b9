import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import { SocketGateway, type SocketIdentity, SocketUser } from '@app/realtime';
import { SocketReadDto } from './dto/socket.dto.js';
import { NotificationsService } from './notifications.service.js';

/** Client-to-server notification events (thin: payload -> service). */
@SocketGateway()
export class NotificationsGateway {
  constructor(private readonly notifications: NotificationsService) {}

  /** Ack: `{ updated, unread }`; every device of the user also gets `notification:count`. */
  @SubscribeMessage('notification:read')
  read(@SocketUser() user: SocketIdentity, @MessageBody() dto: SocketReadDto): Promise<{ updated: number; unread: number }> {
    return this.notifications.markRead(user.userId, dto);
  }
}
