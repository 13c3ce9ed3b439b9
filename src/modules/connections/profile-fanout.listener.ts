import { Injectable, Logger } from '@nestjs/common';
import { RealtimeEmitter } from '@app/realtime';
import { ProfileService } from '../profile/index.js';
import { ConnectionsService } from './connections.service.js';
import { OnDomainEvent, type DomainEvents } from '@app/common';

/**
 * Tells a user's connections that their profile changed, each with the profile as that viewer may
 * see it (privacy settings can differ per viewer). Blocked users are not connections, so a block
 * stops these updates both ways.
 */
@Injectable()
export class ProfileFanoutListener {
  private readonly logger = new Logger(ProfileFanoutListener.name);

  constructor(
    private readonly connections: ConnectionsService,
    private readonly profiles: ProfileService,
    private readonly realtime: RealtimeEmitter,
  ) {}

  @OnDomainEvent('profile.updated')
  async onProfileUpdated(event: DomainEvents['profile.updated']): Promise<void> {
    try {
      const viewers = await this.connections.contactIdsOf(event.userId);
      await Promise.all(
        viewers.map(async (viewer) => {
          if (!(await this.connections.canInteract(viewer, event.userId))) return;
          const profile = await this.profiles.getPublicProfile(viewer, event.userId);
          this.realtime.toUser(viewer, 'profile:update', { userId: event.userId, profile });
        }),
      );
    } catch (err) {
      // Best effort: a missed update is corrected the next time the contact list is read.
      this.logger.warn({ err, userId: event.userId }, 'profile update fan-out failed');
    }
  }
}
