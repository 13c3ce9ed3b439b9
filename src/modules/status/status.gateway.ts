import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import { SocketGateway, type SocketIdentity, SocketUser } from '@app/realtime';
import { SocketViewDto } from './dto/requests.dto.js';
import { StatusViewsService, type ViewResult } from './status-views.service.js';

/** The status socket events (thin: payload -> service; the service passes the status gate). */
@SocketGateway()
export class StatusGateway {
  constructor(private readonly views: StatusViewsService) {}

  /** Ack: `{ statusId, viewedAt }` (the first view's time on repeats), or `status_not_found`. */
  @SubscribeMessage('status:view')
  view(@SocketUser() user: SocketIdentity, @MessageBody() dto: SocketViewDto): Promise<ViewResult> {
    return this.views.view(user.userId, dto.statusId.toLowerCase());
  }
}
