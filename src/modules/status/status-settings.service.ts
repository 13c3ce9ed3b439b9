import { Injectable } from '@nestjs/common';
import type { AudienceMode } from './schemas/status.schema.js';
import { StatusSettingsRepository } from './status-settings.repository.js';

export interface StatusPrivacy {
  mode: AudienceMode;
  userIds: string[];
  readReceipts: boolean;
}

/** The default audience of new statuses, read receipts, and mutes. A change never touches statuses already posted. */
@Injectable()
export class StatusSettingsService {
  constructor(private readonly settings: StatusSettingsRepository) {}

  async privacy(userId: string): Promise<StatusPrivacy> {
    const s = await this.settings.get(userId);
    return { mode: s.mode, userIds: s.userIds, readReceipts: s.readReceipts };
  }

  async updatePrivacy(userId: string, change: Partial<StatusPrivacy>): Promise<StatusPrivacy> {
    const userIds = change.userIds ? [...new Set(change.userIds.map((id) => id.toLowerCase()))] : undefined;
    const s = await this.settings.update(userId, { mode: change.mode, userIds, readReceipts: change.readReceipts });
    return { mode: s.mode, userIds: s.userIds, readReceipts: s.readReceipts };
  }

  /** Muted authors' statuses come last in my feed and raise no events on my devices. */
  async mute(userId: string, authorId: string, muted: boolean): Promise<void> {
    await this.settings.setMute(userId, authorId, muted);
  }
}
