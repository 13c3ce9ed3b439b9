import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError } from '@app/common';
import { PreferencesRepository } from './preferences.repository.js';
import { isHhmm, isValidTimeZone } from './push/quiet-hours.js';
import type { PreferencesRecord, QuietHours } from './schemas/notification-preferences.schema.js';

/** GET/PATCH /notifications/preferences: mute all chats, message previews, quiet hours. */
@Injectable()
export class PreferencesService {
  constructor(private readonly repo: PreferencesRepository) {}

  get(userId: string): Promise<PreferencesRecord> {
    return this.repo.get(userId);
  }

  update(
    userId: string,
    change: { muteAllChats?: boolean; previews?: boolean; quietHours?: QuietHours | null },
  ): Promise<PreferencesRecord> {
    const q = change.quietHours;
    if (q) {
      const bad: Record<string, string[]> = {};
      if (!isHhmm(q.start)) bad['quietHours.start'] = ['start must be HH:MM (24 h)'];
      if (!isHhmm(q.end)) bad['quietHours.end'] = ['end must be HH:MM (24 h)'];
      if (!isValidTimeZone(q.timeZone)) bad['quietHours.timeZone'] = ['timeZone must be an IANA time zone'];
      if (Object.keys(bad).length > 0) {
        throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', Object.values(bad).flat().join('; '), { fields: bad });
      }
    }
    const next: Partial<PreferencesRecord> = { muteAllChats: change.muteAllChats, previews: change.previews };
    if (q !== undefined) next.quietHours = q ? { start: q.start, end: q.end, timeZone: q.timeZone } : null;
    return this.repo.update(userId, next);
  }
}
