import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DEFAULT_PREFERENCES, NotificationPreferences, type PreferencesRecord } from './schemas/notification-preferences.schema.js';

/** The only code touching notification_preferences (looked up by `_id` = user id). */
@Injectable()
export class PreferencesRepository {
  constructor(@InjectModel(NotificationPreferences.name) private readonly prefs: Model<NotificationPreferences>) {}

  async get(userId: string): Promise<PreferencesRecord> {
    const doc = await this.prefs.findById(userId).lean<PreferencesRecord>().exec();
    return {
      muteAllChats: doc?.muteAllChats ?? DEFAULT_PREFERENCES.muteAllChats,
      previews: doc?.previews ?? DEFAULT_PREFERENCES.previews,
      quietHours: doc?.quietHours ?? DEFAULT_PREFERENCES.quietHours,
    };
  }

  async update(userId: string, change: Partial<PreferencesRecord>): Promise<PreferencesRecord> {
    const $set: Record<string, unknown> = { updatedAt: new Date() };
    for (const [k, v] of Object.entries(change)) if (v !== undefined) $set[k] = v;
    await this.prefs.collection.updateOne(
      { _id: userId } as Record<string, unknown>,
      { $set, $setOnInsert: { createdAt: new Date() } },
      { upsert: true },
    );
    return this.get(userId);
  }

  async delete(userId: string): Promise<void> {
    await this.prefs.deleteOne({ _id: userId }).exec();
  }
}
