import { Inject, Logger } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { Gauge, type Registry } from 'prom-client';
import type { Server, Socket } from 'socket.io';
import { METRICS_REGISTRY } from '@app/common';
import { RealtimeEmitter } from './realtime.emitter.js';
import { sessionRoom, userRoom } from './rooms.js';
import { HandshakeRefused, SocketAuthenticator, type SocketIdentity } from './socket-authenticator.js';

/** Authenticates every handshake and puts each socket in its user's room. */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly connections: Gauge;

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly emitter: RealtimeEmitter,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.connections = new Gauge({
      name: 'socketio_connections',
      help: 'Socket.IO connections open on this process',
      registers: [registry],
    });
  }

  afterInit(server: Server): void {
    this.emitter.attach(server);
    server.use((socket, next) => {
      this.authenticator.authenticate(socket).then(
        (identity) => {
          (socket.data as { identity?: SocketIdentity }).identity = identity;
          next();
        },
        (err: unknown) => {
          const reason = err instanceof HandshakeRefused ? err.message : 'unauthorized';
          if (!(err instanceof HandshakeRefused)) this.logger.warn({ err }, 'socket handshake failed');
          next(new Error(reason));
        },
      );
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const identity = (socket.data as { identity?: SocketIdentity }).identity;
    if (!identity) {
      socket.disconnect(true);
      return;
    }
    this.connections.inc();
    await socket.join([userRoom(identity.userId), sessionRoom(identity.sessionId)]);
  }

  handleDisconnect(socket: Socket): void {
    if ((socket.data as { identity?: SocketIdentity }).identity) this.connections.dec();
  }
}
