import { Injectable } from '@nestjs/common';
import { ProfileService } from '../profile/index.js';
import type { Audience } from './presence-visibility.js';

/** Last-seen privacy settings of several users (from the profile module). */
@Injectable()
export class PresencePrivacy {
  constructor(private readonly profiles: ProfileService) {}

  async lastSeenAudiences(userIds: readonly string[]): Promise<Map<string, Audience>> {
    const unique = [...new Set(userIds)];
    const settings = await Promise.all(unique.map((id) => this.profiles.getPrivacy(id)));
    return new Map(unique.map((id, i) => [id, settings[i].lastSeen]));
  }
}
