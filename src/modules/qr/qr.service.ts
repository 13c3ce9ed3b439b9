import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError, OnDomainEvent, type DomainEvents } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { AppConfig } from '../../config/index.js';
import { ConnectionsService, notFoundToken, RequestsService } from '../connections/index.js';
import type { ConnectionRequestDto } from '../connections/index.js';
import type { QrCodeDto } from './dto/qr.dto.js';
import { hashQrToken, newQrToken } from './qr-token.js';
import { QR_FORMATS, type QrFormat, qrWatchRoom, qrWatchRooms, renderQr } from './qr-watch-rooms.js';
import { QrRepository } from './qr.repository.js';

@Injectable()
export class QrService {
  constructor(
    private readonly repo: QrRepository,
    private readonly requests: RequestsService,
    private readonly directory: ConnectionsService,
    private readonly config: AppConfig,
    private readonly realtime: RealtimeEmitter,
  ) {}

  /**
   * A new single-use code; the owner's previous unused one stops working, so the owner's devices
   * watching their code (qr:watch) are shown this one (`qr:rotated`), except `exceptSocketId`, which
   * gets it as its answer.
   */
  async create(owner: string, format: QrFormat, options: { exceptSocketId?: string } = {}): Promise<QrCodeDto> {
    const token = newQrToken();
    const hash = hashQrToken(token);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.connections.qrTtlSeconds * 1000);
    await this.repo.insert(hash, owner, now, expiresAt);
    await this.repo.replaceOlder(owner, hash, now, now);
    const images = await Promise.all(QR_FORMATS.map(async (f) => [f, await renderQr(token, f)] as const));
    for (const [f, qr] of images) {
      this.realtime.toRoom(qrWatchRoom(owner, f), 'qr:rotated', { token, expiresAt: expiresAt.toISOString(), qr }, options);
    }
    return { token, expiresAt: expiresAt.toISOString(), qr: images.find(([f]) => f === format)![1] };
  }

  /** The owner's code that still scans, if any (a watching socket's rotation timer asks). */
  newestLive(owner: string): Promise<{ hash: string; expiresAt: Date } | null> {
    return this.repo.newestLive(owner, new Date());
  }

  /**
   * Checks the token in the order a user would find clearest, then hands over to the request,
   * whose unique index on the token hash makes the token single-use under concurrent scans.
   */
  async scan(scanner: string, token: string): Promise<ConnectionRequestDto> {
    const hash = hashQrToken(token);
    const row = await this.repo.findByHash(hash);
    if (!row) throw notFoundToken();
    if (row.owner === scanner) throw new AppError(HttpStatus.BAD_REQUEST, 'qr_own_code', 'This is your own QR code');
    // A block either way is answered exactly like an unknown token.
    if (await this.directory.isBlockedEitherWay(scanner, row.owner)) throw notFoundToken();
    if (row.usedAt) throw new AppError(HttpStatus.CONFLICT, 'qr_used', 'This QR code has already been used');
    const now = new Date();
    if (row.replacedAt) throw new AppError(HttpStatus.GONE, 'qr_replaced', 'This QR code was replaced by a newer one');
    if (row.expiresAt <= now) throw new AppError(HttpStatus.GONE, 'qr_expired', 'This QR code has expired');
    const request = await this.requests.createFromScan(scanner, row.owner, hash);
    await this.repo.markUsed(hash, scanner, now);
    this.realtime.toRoom(qrWatchRooms(row.owner), 'qr:scanned', { requestId: request.id, fromUserId: scanner });
    return request;
  }

  @OnDomainEvent('user.deleted')
  async onUserDeleted(event: DomainEvents['user.deleted']): Promise<void> {
    await this.repo.deleteAllOf(event.userId);
  }
}
