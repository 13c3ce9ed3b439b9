import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError } from '@app/common';
import { UsersService } from '../users/index.js';
import { ConnectionsRepository } from './connections.repository.js';
import { ContactInvalidations } from './contact-invalidations.js';
import { ContactsService } from './contacts.service.js';
import { decodeCursor, pageOf } from './cursor.js';
import type { BlockDto, BlockPageDto } from './dto/contact.dto.js';
import { RequestsRepository } from './requests.repository.js';

/**
 * Blocking. The block is written first, then the connection and pending request are removed, and
 * accept/scan re-check blocks after their writes: whichever order a race runs in, no connection or
 * pending request survives a block.
 */
@Injectable()
export class BlocksService {
  constructor(
    private readonly repo: ConnectionsRepository,
    private readonly requests: RequestsRepository,
    private readonly contacts: ContactsService,
    private readonly users: UsersService,
    private readonly invalidations: ContactInvalidations,
  ) {}

  async block(blocker: string, blocked: string): Promise<BlockDto> {
    if (blocker === blocked) throw new AppError(HttpStatus.BAD_REQUEST, 'cannot_block_self', 'You cannot block yourself');
    if (!(await this.users.exists(blocked))) throw new AppError(HttpStatus.NOT_FOUND, 'user_not_found', 'User not found');
    const now = new Date();
    const row = await this.repo.block(blocker, blocked, now);
    // Before the 200: every process stops allowing the pair once the publish lands (see docs/chat.md).
    await this.invalidations.pairChanged(blocker, blocked);
    await this.contacts.disconnect(blocker, blocked);
    // Silently: the other side is not told about the block, their request just disappears.
    await this.requests.cancelPendingOfPair(blocker, blocked, now);
    return { userId: row.blocked, blockedAt: row.createdAt.toISOString() };
  }

  async unblock(blocker: string, blocked: string): Promise<void> {
    if (!(await this.repo.unblock(blocker, blocked))) {
      throw new AppError(HttpStatus.NOT_FOUND, 'not_blocked', 'You have not blocked this user');
    }
    await this.invalidations.pairChanged(blocker, blocked);
  }

  async list(blocker: string, limit: number, cursor?: string): Promise<BlockPageDto> {
    const rows = await this.repo.blockPage(blocker, limit + 1, decodeCursor(cursor));
    const page = pageOf(rows, limit, (r) => ({ createdAt: r.createdAt, id: r.blocked }));
    return { items: page.items.map((r) => ({ userId: r.blocked, blockedAt: r.createdAt.toISOString() })), nextCursor: page.nextCursor };
  }
}
