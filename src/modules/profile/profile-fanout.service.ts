import { Injectable } from '@nestjs/common';
import { ContactDirectory } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { ProfileService } from './profile.service.js';

/**
 * Worker side: tells each of the owner's connections that the profile changed, each with the profile
 * as that viewer may see it (privacy can differ per viewer). Blocked users are not connections, so a
 * block stops these updates both ways. Idempotent: a rerun sends the same current profile again.
 */
@Injectable()
export class ProfileFanout {
  constructor(
    private readonly contacts: ContactDirectory,
    private readonly profiles: ProfileService,
    private readonly realtime: RealtimeEmitter,
  ) {}

  async run(userId: string): Promise<{ notified: number }> {
    const peers = await this.contacts.contactIdsOf(userId);
    // A block racing the read above: only viewers who may still interact hear anything.
    const allowed = await Promise.all(peers.map(async (peer) => ((await this.contacts.canInteract(peer, userId)) ? peer : null)));
    const viewers = allowed.filter((v): v is string => v !== null);
    const views = viewers.length > 0 ? await this.profiles.viewsForContacts(userId, viewers) : null;
    if (!views) return { notified: 0 };
    for (const [viewer, profile] of views) this.realtime.toUser(viewer, 'profile:update', { userId, profile });
    return { notified: views.size };
  }
}
