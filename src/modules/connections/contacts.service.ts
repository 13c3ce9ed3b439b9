import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError, DomainEventBus } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { ContactViews } from './contact-views.js';
import { ConnectionsRepository } from './connections.repository.js';
import { ContactInvalidations } from './contact-invalidations.js';
import { decodeCursor, pageOf } from './cursor.js';
import type { ContactDto, ContactPageDto } from './dto/contact.dto.js';

/** The contact list and removing a contact. */
@Injectable()
export class ContactsService {
  constructor(
    private readonly repo: ConnectionsRepository,
    private readonly views: ContactViews,
    private readonly realtime: RealtimeEmitter,
    private readonly events: DomainEventBus,
    private readonly invalidations: ContactInvalidations,
  ) {}

  async list(viewer: string, limit: number, cursor?: string): Promise<ContactPageDto> {
    const after = decodeCursor(cursor);
    const rows = await this.repo.page(viewer, limit + 1, after);
    const page = pageOf(rows, limit, (r) => ({ createdAt: r.createdAt, id: r.peer }));
    return { items: await this.views.build(viewer, page.items), nextCursor: page.nextCursor };
  }

  async one(viewer: string, peer: string, connectedAt: Date): Promise<ContactDto> {
    const [contact] = await this.views.build(viewer, [{ peer, createdAt: connectedAt }]);
    return contact;
  }

  /** Removes the connection for both; each side's devices hear `connection:removed`. */
  async remove(userId: string, other: string): Promise<void> {
    if (!(await this.disconnect(userId, other))) {
      throw new AppError(HttpStatus.NOT_FOUND, 'not_connected', 'You are not connected to this user');
    }
  }

  /** Shared with blocking: true when there was a connection to remove. */
  async disconnect(a: string, b: string): Promise<boolean> {
    if (a === b || !(await this.repo.disconnect(a, b))) return false;
    await this.invalidations.pairChanged(a, b);
    this.realtime.toUser(a, 'connection:removed', { userId: b });
    this.realtime.toUser(b, 'connection:removed', { userId: a });
    this.events.emit('connection.removed', { a, b });
    return true;
  }
}
