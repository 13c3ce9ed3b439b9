import { Injectable, Optional } from '@nestjs/common';
import { PresenceDirectory, type PresenceView } from '@app/common';
import { ProfileService, type PublicProfile } from '../profile/index.js';

export interface PeerView {
  id: string;
  /** The public profile as the viewer may see it (privacy applied by the profile module). */
  profile: PublicProfile | null;
  /** null when the viewer may not see the peer's presence. */
  presence: PresenceView | null;
}

/** The other participant of each chat as the list shows them: public profile and presence. */
@Injectable()
export class PeerViews {
  constructor(
    private readonly profiles: ProfileService,
    @Optional() private readonly presence?: PresenceDirectory,
  ) {}

  async build(viewerId: string, peerIds: readonly string[]): Promise<Map<string, PeerView>> {
    if (peerIds.length === 0) return new Map();
    const [profiles, presence] = await Promise.all([
      this.profiles.getPublicProfiles(viewerId, peerIds),
      this.presence?.presenceFor(viewerId, peerIds),
    ]);
    return new Map(peerIds.map((id) => [id, { id, profile: profiles.get(id) ?? null, presence: presence?.get(id) ?? null }]));
  }
}
