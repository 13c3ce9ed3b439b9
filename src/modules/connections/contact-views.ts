import { Injectable } from '@nestjs/common';
import { PresenceDirectory } from '@app/common';
import { ProfileService } from '../profile/index.js';
import type { ContactDto } from './dto/contact.dto.js';

/** Contact list entries: the public profile and presence, each as the viewer may see it. */
@Injectable()
export class ContactViews {
  constructor(
    private readonly profiles: ProfileService,
    private readonly presence: PresenceDirectory,
  ) {}

  async build(viewer: string, rows: readonly { peer: string; createdAt: Date }[]): Promise<ContactDto[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.peer);
    const [profiles, presence] = await Promise.all([this.profiles.getPublicProfiles(viewer, ids), this.presence.presenceFor(viewer, ids)]);
    return rows.map((r) => ({
      userId: r.peer,
      connectedAt: r.createdAt.toISOString(),
      profile: profiles.get(r.peer) ?? null,
      presence: presence.get(r.peer) ?? null,
    }));
  }
}
