import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { oid } from '@app/common';
import type { Audience, PrivacySettings } from './privacy.js';
import { Profile, type StoredAvatar } from './schemas/profile.schema.js';

export interface ProfileRecord {
  userId: string;
  name?: string;
  about?: string;
  avatar?: StoredAvatar;
  privacy?: Partial<PrivacySettings>;
  updatedAt?: Date;
}

type Lean = Pick<Profile, 'name' | 'about' | 'avatar' | 'privacy' | 'updatedAt'> & { _id: Types.ObjectId };

/** The only place touching the profiles collection; plain objects out, `_id` lookups only. */
@Injectable()
export class ProfileRepository {
  constructor(@InjectModel(Profile.name) private readonly model: Model<Profile>) {}

  async findById(userId: string): Promise<ProfileRecord | null> {
    const doc = await this.model.findById(oid(userId)).lean<Lean>().exec();
    return doc ? toRecord(doc) : null;
  }

  async findMany(userIds: readonly string[]): Promise<ProfileRecord[]> {
    if (userIds.length === 0) return [];
    const docs = await this.model
      .find({ _id: { $in: userIds.map(oid) } })
      .lean<Lean[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** profile:sync: which of `userIds` changed after `after` (an `_id` lookup, the range filtered after it). */
  async changedSince(userIds: readonly string[], after: Date): Promise<ProfileRecord[]> {
    if (userIds.length === 0) return [];
    const docs = await this.model
      .find({ _id: { $in: userIds.map(oid) }, updatedAt: { $gt: after } })
      .lean<Lean[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** Sets name/about (absent keys untouched; '' about is stored as absent), creating the profile if needed. */
  async updateFields(userId: string, fields: { name?: string; about?: string }): Promise<ProfileRecord> {
    const set: Record<string, string> = {};
    const unset: Record<string, 1> = {};
    if (fields.name !== undefined) set.name = fields.name;
    if (fields.about !== undefined) {
      if (fields.about === '') unset.about = 1;
      else set.about = fields.about;
    }
    return this.upsert(userId, {
      ...(Object.keys(set).length ? { $set: set } : {}),
      ...(Object.keys(unset).length ? { $unset: unset } : {}),
    });
  }

  /** `$set` of dotted paths: only the settings named change. */
  async updatePrivacy(userId: string, settings: Partial<Record<keyof PrivacySettings, Audience>>): Promise<ProfileRecord> {
    const set = Object.fromEntries(Object.entries(settings).map(([k, v]) => [`privacy.${k}`, v]));
    return this.upsert(userId, { $set: set });
  }

  /**
   * Replaces (or with null removes) the avatar and returns the one it replaced, read and written in
   * one findOneAndUpdate: two concurrent uploads each get back exactly the avatar they displaced, so
   * every old object is deleted exactly once and none that is still referenced.
   */
  async swapAvatar(userId: string, avatar: StoredAvatar | null): Promise<StoredAvatar | null> {
    const update = avatar ? { $set: { avatar } } : { $unset: { avatar: 1 } };
    const before = await this.model
      .findOneAndUpdate({ _id: oid(userId) }, update, { upsert: avatar !== null, returnDocument: 'before' })
      .lean<Lean>()
      .exec();
    return before?.avatar?.key ? before.avatar : null;
  }

  /** Deletes the profile and returns what it held (its stored objects must go too). */
  async remove(userId: string): Promise<ProfileRecord | null> {
    const doc = await this.model
      .findOneAndDelete({ _id: oid(userId) })
      .lean<Lean>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  private async upsert(userId: string, update: Record<string, unknown>): Promise<ProfileRecord> {
    if (Object.keys(update).length === 0) return (await this.findById(userId)) ?? { userId };
    const doc = await this.model
      .findOneAndUpdate({ _id: oid(userId) }, update, { upsert: true, returnDocument: 'after' })
      .lean<Lean>()
      .exec();
    return toRecord(doc);
  }
}

function toRecord(doc: Lean): ProfileRecord {
  return {
    userId: doc._id.toHexString(),
    ...(doc.name !== undefined ? { name: doc.name } : {}),
    ...(doc.about !== undefined ? { about: doc.about } : {}),
    ...(doc.avatar?.key ? { avatar: doc.avatar } : {}),
    ...(doc.privacy ? { privacy: doc.privacy } : {}),
    ...(doc.updatedAt ? { updatedAt: doc.updatedAt } : {}),
  };
}
