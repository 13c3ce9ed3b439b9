import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { StatusSettings, type StatusSettingsRecord } from './schemas/status-settings.schema.js';
import type { AudienceMode } from './schemas/status.schema.js';

export const DEFAULT_SETTINGS: Omit<StatusSettingsRecord, '_id'> = { mode: 'contacts', userIds: [], readReceipts: true, mutes: {} };

/** The only code touching `status_settings`. */
@Injectable()
export class StatusSettingsRepository {
  constructor(@InjectModel(StatusSettings.name) private readonly settings: Model<StatusSettings>) {}

  async get(userId: string): Promise<StatusSettingsRecord> {
    const doc = await this.settings.findOne({ _id: userId }).lean<StatusSettingsRecord>();
    return { ...DEFAULT_SETTINGS, ...doc, _id: userId, mutes: doc?.mutes ?? {} };
  }

  /** Read-receipt setting of several users (default on). */
  async readReceiptsOf(userIds: readonly string[]): Promise<Map<string, boolean>> {
    const unique = [...new Set(userIds)];
    const docs =
      unique.length === 0
        ? []
        : await this.settings.find({ _id: { $in: unique } }, { readReceipts: 1 }).lean<{ _id: string; readReceipts?: boolean }[]>();
    const found = new Map(docs.map((d) => [d._id, d.readReceipts ?? true]));
    return new Map(unique.map((id) => [id, found.get(id) ?? true]));
  }

  /** Of `viewerIds`, those who muted `authorId`'s statuses. */
  async mutedBy(viewerIds: readonly string[], authorId: string): Promise<Set<string>> {
    if (viewerIds.length === 0) return new Set();
    const docs = await this.settings
      .find({ _id: { $in: [...viewerIds] }, [`mutes.${authorId}`]: true }, { _id: 1 })
      .lean<{ _id: string }[]>();
    return new Set(docs.map((d) => d._id));
  }

  async update(userId: string, change: { mode?: AudienceMode; userIds?: string[]; readReceipts?: boolean }): Promise<StatusSettingsRecord> {
    const set = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length > 0) await this.settings.updateOne({ _id: userId }, { $set: set }, { upsert: true });
    return this.get(userId);
  }

  /** `authorId` is an ObjectId string (validated), so the dotted path cannot carry an operator. */
  async setMute(userId: string, authorId: string, muted: boolean): Promise<void> {
    const path = `mutes.${authorId}`;
    await this.settings.updateOne({ _id: userId }, muted ? { $set: { [path]: true } } : { $unset: { [path]: '' } }, { upsert: true });
  }

  async delete(userId: string): Promise<void> {
    await this.settings.deleteOne({ _id: userId });
  }
}
