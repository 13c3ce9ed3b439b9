import { Inject, Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { ServerEvents } from './events.js';
import { REALTIME_OPTIONS, type RealtimeOptions } from './realtime.options.js';
import type { SocketIdentity } from './socket-authenticator.js';

/** The one client event a socket whose token expired may still send: renewing it. */
export const TOKEN_RENEW_EVENT = 'auth:refresh';

// setTimeout's longest delay; a token living longer is re-armed in steps.
const MAX_TIMER_MS = 2_147_483_647;

interface Timers {
  warn: NodeJS.Timeout;
  cut: NodeJS.Timeout | null;
}

/**
 * Holds each socket of this process to its access token's lifetime: at expiry the socket hears
 * `auth:expired` and may only renew (`auth:refresh` with a fresh access token of its session); if it
 * does not within the grace period it is disconnected. Without this a socket authenticated once
 * would stay connected for ever after its token expired. A socket lives on one process: in memory.
 */
@Injectable()
export class SocketTokenExpiry {
  private readonly timers = new Map<string, Timers>();

  constructor(@Inject(REALTIME_OPTIONS) private readonly options: RealtimeOptions) {}

  /** From the handshake, or again after a renewal: the token now in force expires at `expiresAt` (ms). */
  track(socket: Socket, expiresAt: number): void {
    this.clear(socket);
    const identity = identityOf(socket);
    if (identity) identity.expiresAt = expiresAt;
    this.arm(socket, expiresAt);
  }

  /** True once the socket's token has expired (until it is renewed). */
  isExpired(socket: Socket): boolean {
    const expiresAt = identityOf(socket)?.expiresAt;
    return expiresAt !== undefined && expiresAt <= Date.now();
  }

  clear(socket: Socket): void {
    const timers = this.timers.get(socket.id);
    if (!timers) return;
    clearTimeout(timers.warn);
    if (timers.cut) clearTimeout(timers.cut);
    this.timers.delete(socket.id);
  }

  private arm(socket: Socket, expiresAt: number): void {
    const delay = expiresAt - Date.now();
    if (delay > MAX_TIMER_MS) {
      this.timers.set(socket.id, { warn: setTimeout(() => this.arm(socket, expiresAt), MAX_TIMER_MS), cut: null });
      return;
    }
    const warn = setTimeout(() => this.expired(socket, expiresAt), Math.max(0, delay));
    this.timers.set(socket.id, { warn, cut: null });
  }

  private expired(socket: Socket, expiredAt: number): void {
    const timers = this.timers.get(socket.id);
    if (!timers || !socket.connected) return;
    const disconnectAt = expiredAt + this.options.tokenGraceMs;
    const payload: ServerEvents['auth:expired'] = {
      expiredAt: new Date(expiredAt).toISOString(),
      disconnectAt: new Date(disconnectAt).toISOString(),
    };
    socket.emit('auth:expired', payload);
    timers.cut = setTimeout(
      () => {
        this.timers.delete(socket.id);
        socket.disconnect(true);
      },
      Math.max(0, disconnectAt - Date.now()),
    );
  }
}

function identityOf(socket: Socket): SocketIdentity | undefined {
  return (socket.data as { identity?: SocketIdentity }).identity;
}
