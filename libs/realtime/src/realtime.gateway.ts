import { Inject, Logger } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { Gauge, type Registry } from 'prom-client';
import type { Server, Socket } from 'socket.io';
import { METRICS_REGISTRY } from '@app/common';
import { type SocketAck } from './handlers/socket-error.js';
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
          this.limitEvents(socket, identity);
          this.refuseWhenExpired(socket);
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

  /** After its token expired a socket may only renew it (the grace period before it is cut). */
  private refuseWhenExpired(socket: Socket): void {
    socket.use((packet, next) => {
      if (packet[0] === TOKEN_RENEW_EVENT || !this.expiry.isExpired(socket)) return next();
      const event = typeof packet[0] === 'string' ? packet[0] : 'unknown';
      const last: unknown = packet[packet.length - 1];
      const error = { code: 'token_expired', message: `The access token has expired; send ${TOKEN_RENEW_EVENT} with a fresh one` };
      if (typeof last === 'function') (last as (answer: SocketAck) => void)({ ok: false, error });
      else socket.emit('error', { event, ...error });
    });
  }

  /**
   * Counts every incoming event of the socket (handled or not). Over the limit the event is refused with
   * `rate_limited` (ack or `error` event); a socket that keeps flooding is told why and disconnected.
   */
  private limitEvents(socket: Socket, identity: SocketIdentity): void {
    const limiter = new SocketRateLimiter(this.options.rateLimits);
    socket.use((packet, next) => {
      const verdict = limiter.hit();
      if (verdict === 'allow') return next();
      const event = typeof packet[0] === 'string' ? packet[0] : 'unknown';
      const last: unknown = packet[packet.length - 1];
      const ack = typeof last === 'function' ? (last as (answer: SocketAck) => void) : null;
      if (verdict === 'refuse') {
        const error = { code: 'rate_limited', message: 'Too many events; slow down', retryAfterSeconds: limiter.retryAfterSeconds() };
        if (ack) ack({ ok: false, error });
        else socket.emit('error', { event, ...error });
        return;
      }
      if (!socket.connected) return;
      this.logger.warn({ userId: identity.userId, socketId: socket.id, event }, 'socket flooding: disconnected');
      socket.emit('error', { event, code: 'rate_limited', message: 'Too many events: disconnected' });
      socket.disconnect(true);
    });
  }
}
