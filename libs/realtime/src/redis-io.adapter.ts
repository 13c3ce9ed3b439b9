import { type IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { SharedDispatchIoAdapter } from './shared-dispatch.adapter.js';

export interface RedisIoAdapterOptions {
  corsOrigins: true | string[];
  maxPayloadBytes: number;
  /** Name of the Redis stream (and prefix of the adapter's pub/sub channels): `<prefix>:socket.io`. */
  adapterKey: string;
  /** Publishes to the stream; the adapter duplicates it for its blocking reads and pub/sub replies. */
  redisClient: Redis;
}

/**
 * Socket.IO with the Redis **streams** adapter, so a room (`user:<id>`) spans every api process: an
 * event for a user reaches each of their devices whichever process holds the socket. Streams rather
 * than pub/sub because a process whose Redis connection drops reads on from its last stream offset
 * after reconnecting instead of silently missing what was broadcast meanwhile (presence updates,
 * session disconnects); measured in bench/realtime-adapter.mjs, see docs/realtime.md.
 */
export class RedisIoAdapter extends SharedDispatchIoAdapter {
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
    server.adapter(streamsAdapter(this.options.redisClient, this.options.adapterKey));
    server.engine.use(releaseUpgradeRequest);
    return server;
  }
}

/**
 * engine.io answers a websocket upgrade through a response stub that keeps the HTTP request (`req`),
 * and a `close` listener on the TCP socket keeps the stub, so every upgrade request (headers, raw
 * headers, the request object itself: ~3 KB) lived as long as its socket. Once the upgrade has been
 * handed to `ws` (engine.io runs its middlewares, then upgrades, before the next macrotask) the stub no
 * longer needs it; Socket.IO's handshake reads the request through the engine socket, which lets it go
 * after authentication (RealtimeGateway). Polling requests get a real, short-lived ServerResponse.
 */
function releaseUpgradeRequest(_req: IncomingMessage, res: ServerResponse | { req: unknown }, next: (err?: Error) => void): void {
  next();
  if (!(res instanceof ServerResponse)) {
    setImmediate(() => {
      res.req = null;
    });
  }
}

/** The one adapter configuration, shared by the api's server and the worker's detached one. */
export function streamsAdapter(redisClient: Redis, adapterKey: string): ReturnType<typeof createAdapter> {
  return createAdapter(redisClient, {
    streamName: adapterKey,
    channelPrefix: adapterKey,
    // Entries a process may fall behind by (a Redis blip, a burst) before it misses some: the default
    // 10k was overrun by a 20k-event burst in the benchmark. Entries are small (msgpack), ~a few MB.
    maxLen: 50_000,
    // Only bounds how long the reader lingers after close; new entries wake a blocked read at once.
    blockTimeInMs: 2000,
    onlyPlaintext: true,
  });
}

/**
 * Browsers send an Origin on every handshake, including websocket upgrades, which Socket.IO's `cors`
 * option does not cover (it only answers XHR polling). Native apps send none and are let through: the
 * JWT is their credential; the origin check only stops other web pages riding a browser's session.
 */
export function originAllowed(origin: string | undefined, allowed: true | string[]): boolean {
  return allowed === true || origin === undefined || allowed.includes(origin);
}
