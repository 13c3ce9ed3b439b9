import { Inject, Logger } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { Gauge, type Registry } from 'prom-client';
import type { Server, Socket } from 'socket.io';
import { METRICS_REGISTRY } from '@app/common';
import { type SocketAck, type SocketErrorBody } from './handlers/socket-error.js';
import { SocketRateLimiter } from './handlers/socket-rate-limiter.js';
import { RealtimeEmitter } from './realtime.emitter.js';
import { REALTIME_OPTIONS, type RealtimeOptions } from './realtime.options.js';
import { sessionRoom, userRoom } from './rooms.js';
import { HandshakeRefused, SocketAuthenticator, type SocketIdentity } from './socket-authenticator.js';
import { SocketTokenExpiry, TOKEN_RENEW_EVENT } from './socket-token-expiry.js';

/**
 * Authenticates every handshake, puts each socket in its user's and session's rooms, and rate limits
 * every socket's events before any feature handler sees them.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly connections: Gauge;

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly emitter: RealtimeEmitter,
    private readonly expiry: SocketTokenExpiry,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(REALTIME_OPTIONS) private readonly options: RealtimeOptions,
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
          forgetHandshake(socket);
          this.screenEvents(socket, identity);
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
    if (identity.expiresAt !== undefined) this.expiry.track(socket, identity.expiresAt);
    await socket.join([userRoom(identity.userId), sessionRoom(identity.sessionId)]);
  }

  handleDisconnect(socket: Socket): void {
    this.expiry.clear(socket);
    if ((socket.data as { identity?: SocketIdentity }).identity) this.connections.dec();
  }

  /**
   * One middleware per socket, run on every incoming event before any handler:
   * - the rate limit counts every event (handled or not); over the limit the event is refused with
   *   `rate_limited` (ack or `error` event), and a socket that keeps flooding is told why and disconnected;
   * - after its token expired a socket may only renew it (the grace period before it is cut).
   */
  private screenEvents(socket: Socket, identity: SocketIdentity): void {
    const limiter = new SocketRateLimiter(this.options.rateLimits);
    socket.use((packet, next) => {
      const event = typeof packet[0] === 'string' ? packet[0] : 'unknown';
      const last: unknown = packet[packet.length - 1];
      const ack = typeof last === 'function' ? (last as (answer: SocketAck) => void) : null;
      const refuse = (error: SocketErrorBody): void => {
        if (ack) ack({ ok: false, error });
        else socket.emit('error', { event, ...error });
      };
      const verdict = limiter.hit();
      if (verdict === 'refuse') {
        refuse({ code: 'rate_limited', message: 'Too many events; slow down', retryAfterSeconds: limiter.retryAfterSeconds() });
        return;
      }
      if (verdict === 'disconnect') {
        if (!socket.connected) return;
        this.logger.warn({ userId: identity.userId, socketId: socket.id, event }, 'socket flooding: disconnected');
        socket.emit('error', { event, code: 'rate_limited', message: 'Too many events: disconnected' });
        socket.disconnect(true);
        return;
      }
      if (packet[0] !== TOKEN_RENEW_EVENT && this.expiry.isExpired(socket)) {
        refuse({ code: 'token_expired', message: `The access token has expired; send ${TOKEN_RENEW_EVENT} with a fresh one` });
        return;
      }
      next();
    });
  }
}

/**
 * Nothing reads the handshake once the identity is in `socket.data`, but Socket.IO keeps it for the
 * socket's life: the HTTP upgrade request (`socket.conn.request`, with its raw headers), the header
 * dictionary, the query and the `auth` copy with the JWT. About 3 KB per idle socket (heap snapshot,
 * docs/performance.md); `address`, `time` and `url` stay.
 */
function forgetHandshake(socket: Socket): void {
  socket.handshake.headers = {};
  socket.handshake.query = {};
  socket.handshake.auth = {};
  (socket.conn as { request: unknown }).request = null;
}
