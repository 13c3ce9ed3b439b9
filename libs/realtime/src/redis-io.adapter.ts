import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';

export interface RedisIoAdapterOptions {
  corsOrigins: true | string[];
  maxPayloadBytes: number;
  adapterKey: string;
  pubClient: Redis;
  subClient: Redis;
}

/**
 * Socket.IO with the Redis adapter, so a room (`user:<id>`) spans every api process: an event for a
 * user reaches each of their devices whichever process holds the socket.
 */
export class RedisIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly options: RedisIoAdapterOptions,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const serverOptions = {
      ...options,
      cors: { origin: this.options.corsOrigins, credentials: true },
      maxHttpBufferSize: this.options.maxPayloadBytes,
      allowRequest: (req: IncomingMessage, fn: (err: string | null, ok: boolean) => void) => {
        const allowed = originAllowed(req.headers.origin, this.options.corsOrigins);
        fn(allowed ? null : 'origin not allowed', allowed);
      },
    } as ServerOptions;
    const server = super.createIOServer(port, serverOptions);
    server.adapter(createAdapter(this.options.pubClient, this.options.subClient, { key: this.options.adapterKey }));
    return server;
  }
}

/**
 * Browsers send an Origin on every handshake, including websocket upgrades, which Socket.IO's `cors`
 * option does not cover (it only answers XHR polling). Native apps send none and are let through: the
 * JWT is their credential; the origin check only stops other web pages riding a browser's session.
 */
export function originAllowed(origin: string | undefined, allowed: true | string[]): boolean {
  return allowed === true || origin === undefined || allowed.includes(origin);
}
