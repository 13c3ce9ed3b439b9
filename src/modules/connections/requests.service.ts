import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError, DomainEventBus } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { AppConfig } from '../../config/index.js';
import { ProfileService } from '../profile/index.js';
import { ConnectionsRepository } from './connections.repository.js';
import { ConnectionsService } from './connections.service.js';
import { ContactInvalidations } from './contact-invalidations.js';
import { decodeCursor, pageOf } from './cursor.js';
import type { ConnectionRequestDto, ConnectionRequestPageDto } from './dto/request.dto.js';
import { type RequestRow, RequestsRepository } from './requests.repository.js';

type Action = 'accept' | 'reject' | 'cancel';

/** Connection requests: made by a QR scan, answered by the QR owner, cancelled by the scanner. */
@Injectable()
export class RequestsService {
  constructor(
    private readonly requests: RequestsRepository,
    private readonly connections: ConnectionsRepository,
    private readonly directory: ConnectionsService,
    private readonly realtime: RealtimeEmitter,
    private readonly events: DomainEventBus,
    private readonly config: AppConfig,
    private readonly profiles: ProfileService,
    private readonly invalidations: ContactInvalidations,
  ) {}

  /**
   * Called by the QR module once the token checks passed. The unique indexes on the request decide
   * races: the token's single use (409 qr_used) and one pending request per pair (409 request_pending).
   */
  async createFromScan(scanner: string, owner: string, tokenHash: string): Promise<ConnectionRequestDto> {
    if (await this.directory.isConnected(scanner, owner)) {
      throw new AppError(HttpStatus.CONFLICT, 'already_connected', 'You are already connected to this user');
    }
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.connections.requestTtlSeconds * 1000);
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await this.requests.insertPending(scanner, owner, tokenHash, now, expiresAt);
      if (result.ok) {
        // A block that landed while we inserted: undo, and answer as the caller would for a block.
        if (await this.directory.isBlockedEitherWay(scanner, owner)) {
          await this.requests.resolve(result.request.id, { field: 'from', userId: scanner }, 'cancelled', now);
          throw notFoundToken();
        }
        const dto = toDto(result.request);
        this.realtime.toUsers([owner, scanner], 'connection:request', dto);
        this.events.emit('connection.requested', { requestId: dto.id, fromUserId: scanner, toUserId: owner });
        return dto;
      }
      if (result.conflict === 'token') throw usedToken();
      const pending = await this.requests.pendingOfPair(scanner, owner);
      if (pending && pending.expiresAt > now) {
        throw new AppError(HttpStatus.CONFLICT, 'request_pending', 'A connection request between you two is already pending', {
          requestId: pending.id,
        });
      }
      // The pair's slot is held by an expired request the cleanup job has not deleted yet.
      if (pending) await this.requests.expirePending(pending.id, now);
    }
    throw new AppError(HttpStatus.CONFLICT, 'request_pending', 'A connection request between you two is already pending');
  }

  async list(userId: string, direction: 'incoming' | 'outgoing', limit: number, cursor?: string): Promise<ConnectionRequestPageDto> {
    const rows = await this.requests.listPending(direction, userId, new Date(), limit + 1, decodeCursor(cursor));
    const page = pageOf(rows, limit, (r) => ({ createdAt: r.createdAt, id: r.id }));
    const other = (r: RequestRow): string => (direction === 'incoming' ? r.from : r.to);
    const profiles = await this.profiles.getPublicProfiles(userId, page.items.map(other));
    const items = page.items.map((r) => ({ ...toDto(r), user: profiles.get(other(r)) ?? { userId: other(r), name: null } }));
    return { items, nextCursor: page.nextCursor };
  }

  /** Only the receiver accepts; of concurrent accepts exactly one resolves the request. */
  async accept(userId: string, requestId: string): Promise<{ request: ConnectionRequestDto; connectedAt: string }> {
    const now = new Date();
    const row = await this.requests.resolve(requestId, { field: 'to', userId }, 'accepted', now);
    if (!row) return this.refuse(userId, requestId, 'accept', now);
    await this.connections.connect(row.from, row.to, now);
    // A block racing this accept: the block's own delete may have run before our insert.
    if (await this.directory.isBlockedEitherWay(row.from, row.to)) {
      await this.connections.disconnect(row.from, row.to);
      await this.invalidations.pairChanged(row.from, row.to);
      throw notFoundRequest();
    }
    await this.invalidations.pairChanged(row.from, row.to);
    const connectedAt = now.toISOString();
    this.realtime.toUser(row.from, 'connection:accepted', { requestId, userId: row.to, connectedAt });
    this.realtime.toUser(row.to, 'connection:accepted', { requestId, userId: row.from, connectedAt });
    this.events.emit('connection.accepted', { requestId, fromUserId: row.from, toUserId: row.to });
    return { request: toDto(row), connectedAt };
  }

  async reject(userId: string, requestId: string): Promise<ConnectionRequestDto> {
    const now = new Date();
    const row = await this.requests.resolve(requestId, { field: 'to', userId }, 'rejected', now);
    if (!row) return this.refuse(userId, requestId, 'reject', now);
    this.realtime.toUser(row.from, 'connection:rejected', { requestId, userId: row.to });
    this.realtime.toUser(row.to, 'connection:rejected', { requestId, userId: row.from });
    return toDto(row);
  }

  async cancel(userId: string, requestId: string): Promise<void> {
    const now = new Date();
    const row = await this.requests.resolve(requestId, { field: 'from', userId }, 'cancelled', now);
    if (!row) await this.refuse(userId, requestId, 'cancel', now);
  }

  /** Explains why a request could not be resolved, most specific reason first. */
  private async refuse(userId: string, requestId: string, action: Action, now: Date): Promise<never> {
    const row = await this.requests.findById(requestId);
    if (!row || (row.from !== userId && row.to !== userId)) throw notFoundRequest();
    if (action !== 'cancel' && row.to !== userId) {
      throw new AppError(HttpStatus.FORBIDDEN, 'not_receiver', 'Only the receiver of a request can accept or reject it');
    }
    if (action === 'cancel' && row.from !== userId) {
      throw new AppError(HttpStatus.FORBIDDEN, 'not_sender', 'Only the sender of a request can cancel it; the receiver rejects it');
    }
    if (row.status !== 'pending') {
      throw new AppError(HttpStatus.CONFLICT, 'request_not_pending', `This request is already ${row.status}`, { status: row.status });
    }
    if (row.expiresAt <= now) throw new AppError(HttpStatus.GONE, 'request_expired', 'This request has expired');
    throw new AppError(HttpStatus.CONFLICT, 'request_not_pending', 'This request was just answered');
  }
}

export function toDto(row: RequestRow): ConnectionRequestDto {
  return {
    id: row.id,
    fromUserId: row.from,
    toUserId: row.to,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

function notFoundRequest(): AppError {
  return new AppError(HttpStatus.NOT_FOUND, 'request_not_found', 'Connection request not found');
}

function usedToken(): AppError {
  return new AppError(HttpStatus.CONFLICT, 'qr_used', 'This QR code has already been used');
}

/** Same answer as an unknown token, so a block is not revealed. */
export function notFoundToken(): AppError {
  return new AppError(HttpStatus.NOT_FOUND, 'qr_not_found', 'Unknown QR code');
}
