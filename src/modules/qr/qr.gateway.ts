import { MessageBody, type OnGatewayDisconnect, SubscribeMessage } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { SocketClient, SocketGateway, type SocketIdentity, SocketUser } from '@app/realtime';
import type { QrCodeDto } from './dto/qr.dto.js';
import { SocketQrWatchDto } from './dto/qr-watch.dto.js';
import { QrWatchService } from './qr-watch.service.js';

/** The QR socket events: a live code on the owner's screen (thin: payload -> service). */
@SocketGateway()
export class QrGateway implements OnGatewayDisconnect {
  constructor(private readonly watching: QrWatchService) {}

  /** Ack: a fresh code, as POST /qr returns it; then qr:rotated before each expiry and qr:scanned on a scan. */
  @SubscribeMessage('qr:watch')
  watch(@SocketUser() user: SocketIdentity, @SocketClient() socket: Socket, @MessageBody() dto: SocketQrWatchDto): Promise<QrCodeDto> {
    return this.watching.watch(socket, user.userId, dto.format ?? 'png');
  }

  /** Ack: null. Stops the pushes to this socket (the code on screen stays valid until it expires). */
  @SubscribeMessage('qr:unwatch')
  unwatch(@SocketClient() socket: Socket): void {
    this.watching.unwatch(socket);
  }

  handleDisconnect(socket: Socket): void {
    this.watching.unwatch(socket);
  }
}
