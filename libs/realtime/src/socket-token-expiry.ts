import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { ServerEvents } from './events.js';
import { REALTIME_OPTIONS, type RealtimeOptions } from './realtime.options.js';
import type { SocketIdentity } from './socket-authenticator.js';

/** The one client event a socket whose token expired may still send: renewing it. */
export const TOKEN_RENEW_EVENT = 'auth:refresh';

/**
 * How often the tracked sockets are checked. A socket hears `auth:expired` at most this late (its
 * events are refused from the exact expiry on: isExpired reads the clock), and the cut comes at most
 * this long after the announced `disconnectAt`.
 */
export const EXPIRY_TICK_MS = 1000;

/**
 * Holds each socket of this process to its access token's lifetime: at expiry the socket hears
 * `auth:expired` and may only renew (`auth:refresh` with a fresh access token of its session); if it
 * does not within the grace period it is disconnected. Without this a socket authenticated once
 * would stay connected for ever after its token expired. A socket lives on one process: in memory.
 *
 * One ticker for all sockets instead of a timer per socket: with 15,000 idle sockets a `setTimeout`
 * each (its Timeout, closure and bookkeeping) was ~300 bytes per socket; a Set entry is ~30, and a
 * check of every tracked socket each second costs well under a millisecond at that size.
 */
@Injectable()
export class SocketTokenExpiry implements OnModuleDestroy {
  private readonly tracked = new Set<Socket>();
  /** Tracked sockets already told their token expired (in their grace period). */
  private readonly warned = new Set<Socket>();
  private ticker: NodeJS.Timeout | null = null;

  constructor(@Inject(REALTIME_OPTIONS) private readonly options: RealtimeOptions) {}

  /** From the handshake, or again after a renewal: the token now in force expires at `expiresAt` (ms). */
  track(socket: Socket, expiresAt: number): void {
    const identity = identityOf(socket);
    if (identity) identity.expiresAt = expiresAt;
    this.warned.delete(socket);
    this.tracked.add(socket);
    this.ticker ??= setInterval(() => this.tick(), EXPIRY_TICK_MS).unref();
  }

  /** True once the socket's token has expired (until it is renewed). */
  isExpired(socket: Socket): boolean {
    const expiresAt = identityOf(socket)?.expiresAt;
    return expiresAt !== undefined && expiresAt <= Date.now();
  }

  clear(socket: Socket): void {
    this.tracked.delete(socket);
    this.warned.delete(socket);
  }

  onModuleDestroy(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private tick(): void {
    const now = Date.now();
    for (const socket of this.tracked) {
      const expiresAt = identityOf(socket)?.expiresAt;
      if (!socket.connected || expiresAt === undefined) {
        this.clear(socket);
        continue;
      }
      if (expiresAt > now) continue;
      const disconnectAt = expiresAt + this.options.tokenGraceMs;
      if (!this.warned.has(socket)) {
        this.warned.add(socket);
        const payload: ServerEvents['auth:expired'] = {
          expiredAt: new Date(expiresAt).toISOString(),
          disconnectAt: new Date(disconnectAt).toISOString(),
        };
        socket.emit('auth:expired', payload);
      }
      if (disconnectAt <= now) {
        this.clear(socket);
        socket.disconnect(true);
      }
    }
  }
}

function identityOf(socket: Socket): SocketIdentity | undefined {
  return (socket.data as { identity?: SocketIdentity }).identity;
}
