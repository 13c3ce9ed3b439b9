import { HttpStatus, Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import { AppError, OnDomainEvent, type DomainEvents } from '@app/common';
import { AppConfig } from '../../config/index.js';
import { ConnectionsService, notFoundToken, RequestsService } from '../connections/index.js';
import type { ConnectionRequestDto } from '../connections/index.js';
import type { QrCodeDto } from './dto/qr.dto.js';
import { hashQrToken, newQrToken, qrUri } from './qr-token.js';
import { QrRepository } from './qr.repository.js';

@Injectable()
export class QrService {
  constructor(
    private readonly repo: QrRepository,
    private readonly requests: RequestsService,
    private readonly directory: ConnectionsService,
    private readonly config: AppConfig,
  ) {}

  /** A new single-use code; the owner's previous unused one stops working. */
  async create(owner: string, format: 'png' | 'svg'): Promise<QrCodeDto> {
    const token = newQrToken();
    const hash = hashQrToken(token);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.connections.qrTtlSeconds * 1000);
    await this.repo.insert(hash, owner, now, expiresAt);
    await this.repo.replaceOlder(owner, hash, now, now);
    const uri = qrUri(token);
    const qr =
      format === 'svg' ? await QRCode.toString(uri, { type: 'svg', margin: 2 }) : await QRCode.toDataURL(uri, { margin: 2, width: 320 });
    return { token, expiresAt: expiresAt.toISOString(), qr };
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
    return request;
  }

  @OnDomainEvent('user.deleted')
  async onUserDeleted(event: DomainEvents['user.deleted']): Promise<void> {
    await this.repo.deleteAllOf(event.userId);
  }
}
