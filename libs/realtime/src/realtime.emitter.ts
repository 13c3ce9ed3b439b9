import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { ServerEventName, ServerEvents } from './events.js';
import { sessionRoom, userRoom } from './rooms.js';

/**
 * The one way services reach sockets. Delivery targets users (every device), never single sockets,
 * and goes through the Redis adapter, so it reaches sockets held by any api process.
 */
@Injectable()
export class RealtimeEmitter {
  private server: Server | null = null;

  /** Called by the gateway once the Socket.IO server exists (api process only). */
  attach(server: Server): void {
    this.server = server;
  }

  /**
   * `exceptSocketId`: leave out the socket the action came from (it already has the answer in its ack),
   * e.g. the sending device for `chat:receive`; the user's other devices still get the event.
   */
  toUsers<E extends ServerEventName>(
    userIds: readonly string[],
    event: E,
    payload: ServerEvents[E],
    options: { exceptSocketId?: string } = {},
  ): void {
    if (!this.server || userIds.length === 0) return;
    const target = this.server.to(userIds.map(userRoom));
    (options.exceptSocketId ? target.except(options.exceptSocketId) : target).emit(event, payload);
  }

  toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerEvents[E]): void {
    this.toUsers([userId], event, payload);
  }

  /** To the sockets in `room`, on every api process (a feature's own rooms, e.g. the sockets watching a QR code). */
  toRoom<E extends ServerEventName>(
    room: string | readonly string[],
    event: E,
    payload: ServerEvents[E],
    options: { exceptSocketId?: string } = {},
  ): void {
    if (!this.server) return;
    const target = this.server.to(typeof room === 'string' ? room : [...room]);
    (options.exceptSocketId ? target.except(options.exceptSocketId) : target).emit(event, payload);
  }

  /** To every socket of one session (every api process), e.g. `session:revoked` before its sockets are cut. */
  toSession<E extends ServerEventName>(sessionId: string, event: E, payload: ServerEvents[E]): void {
    this.toRoom(sessionRoom(sessionId), event, payload);
  }

  /**
   * One socket, on whichever api process holds it (every socket is in the room of its own id): call
   * signaling goes to the one device taking part in the call, not to all of a user's devices.
   */
  toSocket<E extends ServerEventName>(socketId: string, event: E, payload: ServerEvents[E]): void {
    this.server?.to(socketId).emit(event, payload);
  }

  /** Disconnects every socket of a session, on every api process (logout, revoked session). */
  disconnectSession(sessionId: string): void {
    this.server?.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /** Disconnects every socket of a user, on every api process (account deleted). */
  disconnectUser(userId: string): void {
    this.server?.in(userRoom(userId)).disconnectSockets(true);
  }
}
