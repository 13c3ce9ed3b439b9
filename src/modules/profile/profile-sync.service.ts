import { Injectable } from '@nestjs/common';
import { ContactDirectory } from '@app/common';
import { ProfileRepository } from './profile.repository.js';
import { type PublicProfile, ProfileService } from './profile.service.js';
import { decodeSyncCursor, encodeSyncCursor, SYNC_OVERLAP_MS } from './sync-cursor.js';

export interface ProfileSyncResult {
  /** Connections whose profile changed since the cursor, as this viewer may see them. */
  profiles: PublicProfile[];
  /** Give it as `since` next time. */
  cursor: string;
}

/**
 * profile:sync: a device back online asks which contacts' profiles changed since its cursor instead of
 * refetching every contact. Without a cursor, every connection's profile is returned (first sync).
 */
@Injectable()
export class ProfileSync {
  constructor(
    private readonly repo: ProfileRepository,
    private readonly profiles: ProfileService,
    private readonly contacts: ContactDirectory,
  ) {}

  async changedFor(viewer: string, since: string | undefined): Promise<ProfileSyncResult> {
    const cursor = since ? decodeSyncCursor(since) : null;
    const startedAt = Date.now();
    const peers = await this.contacts.contactIdsOf(viewer);
    const changed = await this.repo.changedSince(peers, new Date(cursor?.after ?? 0));
    const fresh = changed.filter((r) => r.updatedAt && cursor?.seen[r.userId] !== r.updatedAt.getTime());
    // A contact with no profile document has nothing to refresh (name null) and appears only in a first sync.
    const ids = cursor ? fresh.map((r) => r.userId) : peers;
    const views = await this.profiles.getPublicProfiles(viewer, ids);
    const after = Math.max(startedAt - SYNC_OVERLAP_MS, cursor?.after ?? 0);
    const seen: Record<string, number> = {};
    for (const r of changed) if (r.updatedAt && r.updatedAt.getTime() > after) seen[r.userId] = r.updatedAt.getTime();
    return { profiles: ids.map((id) => views.get(id)!), cursor: encodeSyncCursor({ after, seen }) };
  }
}
