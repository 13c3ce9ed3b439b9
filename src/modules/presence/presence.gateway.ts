import type { OnGatewayConnection, OnGatewayDisconnect } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { SocketGateway, type SocketIdentity } from '@app/realtime';
import { PresenceService } from './presence.service.js';

/** Feeds socket opens and closes (authenticated at the handshake) into presence. */
@SocketGateway()
export class PresenceGateway implements OnGatewayConnection, OnGatewayDisconnect {
  constructor(private readonly presence: PresenceService) {}

  handleConnection(socket: Socket): void {
    const identity = identityOf(socket);
    if (identity) this.presence.connected(identity.userId, socket.id);
  }

  handleDisconnect(socket: Socket): void {
    const identity = identityOf(socket);
    if (identity) this.presence.disconnected(identity.userId, socket.id);
  }
}

function identityOf(socket: Socket): SocketIdentity | undefined {
  return (socket.data as { identity?: SocketIdentity }).identity;
}
