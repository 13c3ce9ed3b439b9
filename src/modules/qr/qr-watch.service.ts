import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { AppConfig } from '../../config/index.js';
import { RedisFactory } from '../../core/redis/index.js';
import { REDIS, type Redis } from '../../core/redis/redis.module.js';
import type { QrCodeDto } from './dto/qr.dto.js';
import { type QrFormat, qrWatchRoom, rotationLeadMs } from './qr-watch-rooms.js';
import { QrService } from './qr.service.js';

/** When a rotation lost the race to another socket's timer, look again this soon for the winner's code. */
const RETRY_MS = 500;

interface Watch {
  socket: Socket;
  owner: string;
  format: QrFormat;
  /** Expiry (ms) of the newest code this socket is known to show. */
  expiresAt: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Keeps a live code on the screens of the sockets that watch it (qr:watch), the way a linking screen
 * does: shortly before the code expires a new one replaces it and every watching device of the owner
 * hears `qr:rotated`. Each watching socket has a timer on the process holding it; of the owner's
 * timers that fire for the same code (two devices, two processes) exactly one rotates, decided by a
 * Redis SET NX on that code, and the others pick up the winner's code. Since every new code replaces
 * the owner's unused ones (QrService.create), there is never more than one valid code per user.
 */
@Injectable()
export class QrWatchService implements OnApplicationShutdown {
  private readonly logger = new Logger(QrWatchService.name);
  private readonly watches = new Map<string, Watch>();
  private readonly leadMs: number;

  constructor(
    private readonly qr: QrService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
    private readonly config: AppConfig,
  ) {
    this.leadMs = rotationLeadMs(config.connections.qrTtlSeconds);
  }

  /** A fresh code (the answer, as POST /qr gives it); the owner's other watching devices switch to it too. */
  async watch(socket: Socket, owner: string, format: QrFormat): Promise<QrCodeDto> {
    this.unwatch(socket);
    const code = await this.qr.create(owner, format, { exceptSocketId: socket.id });
    if (!socket.connected) return code;
    await socket.join(qrWatchRoom(owner, format));
    const watch: Watch = { socket, owner, format, expiresAt: new Date(code.expiresAt).getTime(), timer: null };
    this.watches.set(socket.id, watch);
    this.arm(watch);
    return code;
  }

  /** qr:unwatch and disconnect: no more rotations or scans pushed to this socket. */
  unwatch(socket: Socket): void {
    const watch = this.watches.get(socket.id);
    if (!watch) return;
    if (watch.timer) clearTimeout(watch.timer);
    this.watches.delete(socket.id);
    if (socket.connected) void socket.leave(qrWatchRoom(watch.owner, watch.format));
  }

  onApplicationShutdown(): void {
    for (const watch of this.watches.values()) if (watch.timer) clearTimeout(watch.timer);
    this.watches.clear();
  }

  private arm(watch: Watch, delayMs = watch.expiresAt - this.leadMs - Date.now()): void {
    watch.timer = setTimeout(
      () => {
        this.rotate(watch).catch((err: unknown) => {
          this.logger.warn({ err, userId: watch.owner }, 'QR rotation failed; retrying');
          if (this.watches.get(watch.socket.id) === watch) this.arm(watch, RETRY_MS * 2);
        });
      },
      Math.max(0, delayMs),
    );
  }

  private async rotate(watch: Watch): Promise<void> {
    if (this.watches.get(watch.socket.id) !== watch) return;
    const live = await this.qr.newestLive(watch.owner);
    if (live && live.expiresAt.getTime() > watch.expiresAt) {
      // Another device, process or POST /qr already replaced the code this socket knew.
      watch.expiresAt = live.expiresAt.getTime();
      return this.arm(watch);
    }
    const key = this.keys.key('qr', 'rotation', watch.owner, watch.expiresAt);
    const won = await this.redis.set(key, '1', 'PX', this.config.connections.qrTtlSeconds * 1000, 'NX');
    if (this.watches.get(watch.socket.id) !== watch) return;
    if (won !== 'OK') return this.arm(watch, RETRY_MS);
    // create() pushes the new code to every watching socket of the owner, this one included.
    const code = await this.qr.create(watch.owner, watch.format);
    watch.expiresAt = new Date(code.expiresAt).getTime();
    if (this.watches.get(watch.socket.id) === watch) this.arm(watch);
  }
}
