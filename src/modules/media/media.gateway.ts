import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import { SocketGateway, type SocketIdentity, SocketUser } from '@app/realtime';
import { SocketMediaCancelDto } from './dto/socket.dto.js';
import { type MediaView, MediaService } from './media.service.js';

/** The media socket events (thin: payload -> service). */
@SocketGateway()
export class MediaGateway {
  constructor(private readonly media: MediaService) {}

  /** Ack: the media, now `failed` with reason `cancelled`; errors media_not_found, media_not_processing. */
  @SubscribeMessage('media:cancel')
  cancel(@SocketUser() user: SocketIdentity, @MessageBody() dto: SocketMediaCancelDto): Promise<MediaView> {
    return this.media.cancel(user.userId, dto.id.toLowerCase());
  }
}
