import { Injectable } from '@nestjs/common';
import { RealtimeEmitter } from '@app/realtime';
import { ConnectionsRepository } from './connections.repository.js';
import { ContactInvalidations } from './contact-invalidations.js';
import { RequestsRepository } from './requests.repository.js';
import { OnDomainEvent, type DomainEvents } from '@app/common';

/** Reacts to other modules' domain events. */
@Injectable()
export class ConnectionsListener {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly requests: RequestsRepository,
    private readonly realtime: RealtimeEmitter,
    private readonly invalidations: ContactInvalidations,
  ) {}

  /** A deleted account leaves no connection, request or block behind, on either side. */
  @OnDomainEvent('user.deleted')
  async onUserDeleted(event: DomainEvents['user.deleted']): Promise<void> {
    const [peers] = await Promise.all([this.connections.deleteAllOf(event.userId), this.requests.deleteAllOf(event.userId)]);
    await this.invalidations.userChanged(event.userId);
    for (const peer of peers) this.realtime.toUser(peer, 'connection:removed', { userId: event.userId });
  }
}
