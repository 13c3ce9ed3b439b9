import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ContactDirectory, DomainEventBus, OnDomainEvent } from '@app/common';
import { newObjectKey, receiveFile, StorageDriver } from '@app/storage';
import { AppConfig } from '../../config/index.js';
import { AVATAR_TYPES, encodeAvatar } from './avatar-image.js';
import { type Audience, mayView, type PrivacySettings, type Relation, withDefaults } from './privacy.js';
import { type ProfileRecord, ProfileRepository } from './profile.repository.js';
import type { StoredAvatar } from './schemas/profile.schema.js';

/** What the owner sees of their own profile. */
export interface OwnProfile {
  userId: string;
  name: string | null;
  about: string;
  avatarUrl: string | null;
  avatarThumbUrl: string | null;
}

/** What another user sees: hidden fields are absent, not empty. */
export interface PublicProfile {
  userId: string;
  name: string | null;
  about?: string;
  avatarUrl?: string;
  avatarThumbUrl?: string;
}

// The users module emits it; named here rather than imported so profile stays below users.

@Injectable()
export class ProfileService {
  private readonly logger = new Logger(ProfileService.name);

  constructor(
    private readonly repo: ProfileRepository,
    private readonly storage: StorageDriver,
    private readonly contacts: ContactDirectory,
    private readonly events: DomainEventBus,
    private readonly config: AppConfig,
  ) {}

  async getOwn(userId: string): Promise<OwnProfile> {
    return this.own((await this.repo.findById(userId)) ?? { userId });
  }

  async update(userId: string, fields: { name?: string; about?: string }): Promise<OwnProfile> {
    if (fields.name === undefined && fields.about === undefined) return this.getOwn(userId);
    const record = await this.repo.updateFields(userId, fields);
    this.changed(userId);
    return this.own(record);
  }

  /** Streams the upload to a temporary file, re-encodes it, stores both sizes, then drops the old ones. */
  async setAvatar(userId: string, req: IncomingMessage): Promise<OwnProfile> {
    const file = await receiveFile(req, {
      field: 'file',
      maxBytes: this.config.avatar.maxBytes,
      accept: AVATAR_TYPES,
      acceptDescription: 'a JPEG, PNG or WebP image',
    });
    let avatar: StoredAvatar;
    try {
      const { main, thumb } = await encodeAvatar(file.path, file.mime, this.config.avatar.maxInputPixels);
      avatar = {
        key: newObjectKey(`avatars/${userId}`, main.ext),
        thumbKey: newObjectKey(`avatars/${userId}`, thumb.ext),
        contentType: main.contentType,
        width: main.width,
        height: main.height,
      };
      await Promise.all([
        this.storage.put(avatar.key, main.data, { contentType: main.contentType }),
        this.storage.put(avatar.thumbKey, thumb.data, { contentType: thumb.contentType }),
      ]);
    } finally {
      await file.dispose();
    }
    let previous: StoredAvatar | null;
    try {
      previous = await this.repo.swapAvatar(userId, avatar);
    } catch (err) {
      await this.deleteObjects(avatar);
      throw err;
    }
    await this.deleteObjects(previous);
    this.changed(userId);
    return this.getOwn(userId);
  }

  async removeAvatar(userId: string): Promise<OwnProfile> {
    const previous = await this.repo.swapAvatar(userId, null);
    if (previous) {
      await this.deleteObjects(previous);
      this.changed(userId);
    }
    return this.getOwn(userId);
  }

  async getPrivacy(userId: string): Promise<PrivacySettings> {
    return withDefaults((await this.repo.findById(userId))?.privacy);
  }

  async updatePrivacy(userId: string, settings: Partial<Record<keyof PrivacySettings, Audience>>): Promise<PrivacySettings> {
    if (Object.keys(settings).length === 0) return this.getPrivacy(userId);
    const record = await this.repo.updatePrivacy(userId, settings);
    this.changed(userId);
    return withDefaults(record.privacy);
  }

  /**
   * Profiles of `userIds` as `viewerId` may see them (privacy and blocks applied); every id gets an
   * entry, `name: null` when its owner never set one. Contact checks run only where a setting needs one.
   */
  async getPublicProfiles(viewerId: string, userIds: readonly string[]): Promise<Map<string, PublicProfile>> {
    const ids = [...new Set(userIds)];
    const records = new Map((await this.repo.findMany(ids)).map((r) => [r.userId, r]));
    const views = await Promise.all(ids.map((id) => this.publicView(viewerId, records.get(id) ?? { userId: id })));
    return new Map(views.map((v) => [v.userId, v]));
  }

  async getPublicProfile(viewerId: string, userId: string): Promise<PublicProfile> {
    return (await this.getPublicProfiles(viewerId, [userId])).get(userId)!;
  }

  /**
   * The owner's profile as each of `viewerIds` sees it, for viewers the caller already knows are the
   * owner's connections (not blocked either way): one profile read for all of them, no contact checks.
   * Null when the owner has no profile (a deleted account).
   */
  async viewsForContacts(ownerId: string, viewerIds: readonly string[]): Promise<Map<string, PublicProfile> | null> {
    const record = await this.repo.findById(ownerId);
    if (!record) return null;
    const relation: Relation = { self: false, contact: true, blocked: false };
    const views = await Promise.all(viewerIds.map(async (viewer) => [viewer, await this.viewWith(record, relation)] as const));
    return new Map(views);
  }

  /** Erases the profile and its stored objects when the account goes. Idempotent. */
  @OnDomainEvent('user.deleted')
  async onUserDeleted(event: { userId: string }): Promise<void> {
    const removed = await this.repo.remove(event.userId);
    await this.deleteObjects(removed?.avatar ?? null);
  }

  private async publicView(viewerId: string, record: ProfileRecord): Promise<PublicProfile> {
    const privacy = withDefaults(record.privacy);
    const view: PublicProfile = { userId: record.userId, name: record.name ?? null };
    const shown = { photo: Boolean(record.avatar), about: Boolean(record.about) };
    if (!shown.photo && !shown.about) return view;
    const relation = await this.relation(viewerId, record.userId, [
      shown.photo ? privacy.photo : 'nobody',
      shown.about ? privacy.about : 'nobody',
    ]);
    return this.viewWith(record, relation);
  }

  private async viewWith(record: ProfileRecord, relation: Relation): Promise<PublicProfile> {
    const privacy = withDefaults(record.privacy);
    const view: PublicProfile = { userId: record.userId, name: record.name ?? null };
    if (record.avatar && mayView(privacy.photo, relation)) {
      view.avatarUrl = await this.storage.url(record.avatar.key);
      view.avatarThumbUrl = await this.storage.url(record.avatar.thumbKey);
    }
    if (record.about && mayView(privacy.about, relation)) view.about = record.about;
    return view;
  }

  /** Asks ContactDirectory only what the audiences in play need to know. */
  private async relation(viewerId: string, ownerId: string, audiences: Audience[]): Promise<Relation> {
    if (viewerId === ownerId) return { self: true, contact: true, blocked: false };
    if (audiences.every((a) => a === 'nobody')) return { self: false, contact: false, blocked: false };
    const contact = await this.contacts.canInteract(viewerId, ownerId);
    // canInteract is false across a block; only an "everyone" setting needs to tell the two apart.
    const blocked = !contact && audiences.includes('everyone') ? await this.contacts.isBlockedEitherWay(viewerId, ownerId) : false;
    return { self: false, contact, blocked };
  }

  private async own(record: ProfileRecord): Promise<OwnProfile> {
    const avatar = record.avatar;
    return {
      userId: record.userId,
      name: record.name ?? null,
      about: record.about ?? '',
      avatarUrl: avatar ? await this.storage.url(avatar.key) : null,
      avatarThumbUrl: avatar ? await this.storage.url(avatar.thumbKey) : null,
    };
  }

  /** Best effort: an object left behind costs storage, not correctness, so failures are logged only. */
  private async deleteObjects(avatar: StoredAvatar | null): Promise<void> {
    if (!avatar) return;
    const results = await Promise.allSettled([this.storage.delete(avatar.key), this.storage.delete(avatar.thumbKey)]);
    for (const r of results)
      if (r.status === 'rejected') this.logger.warn({ err: r.reason as unknown }, 'could not delete an avatar object');
  }

  private changed(userId: string): void {
    this.events.emit('profile.updated', { userId });
  }
}
