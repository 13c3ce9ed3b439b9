import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { RealtimeEmitter } from './realtime.emitter.js';
import { streamsAdapter } from './redis-io.adapter.js';

export const WORKER_REALTIME_OPTIONS = Symbol('WORKER_REALTIME_OPTIONS');

export interface WorkerRealtimeOptions {
  /** The same stream the api processes use: `<prefix>:socket.io`. */
  adapterKey: string;
  redisClient: Redis;
}

/**
 * The worker's way to sockets: a Socket.IO server with no HTTP listener on the same Redis streams
 * adapter. It holds no sockets itself; `to(room).emit` goes into the stream and every api process
 * delivers to the sockets it holds, so a job emits exactly as an api service does (RealtimeEmitter).
 */
@Injectable()
export class WorkerRealtimeServer implements OnModuleInit, OnApplicationShutdown {
  private server: Server | null = null;

  constructor(
    @Inject(WORKER_REALTIME_OPTIONS) private readonly options: WorkerRealtimeOptions,
    private readonly emitter: RealtimeEmitter,
  ) {}

  onModuleInit(): void {
    this.server = new Server({ serveClient: false });
    this.server.adapter(streamsAdapter(this.options.redisClient, this.options.adapterKey));
    this.emitter.attach(this.server);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }
}
