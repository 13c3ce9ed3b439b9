import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { AppError, ContactDirectory, newObjectId, OnDomainEvent, type DomainEvents } from '@app/common';
import type { StatusMediaPayload, StatusPayload } from '@app/realtime';
import { AppConfig } from '../../config/index.js';
import { type AudienceSetting, type FeedAuthor, orderFeed, resolveAudience } from './status-rules.js';
import { StatusFanout } from './status-fanout.js';
import { StatusGate } from './status-gate.js';
import { StatusMedia } from './status-media.js';
import { toStatusPayload } from './status-payload.js';
import { StatusRepository } from './status.repository.js';
import { StatusSettingsRepository } from './status-settings.repository.js';
import { StatusViewsRepository } from './status-views.repository.js';
import type { StatusKind, StatusRecord, StatusState } from './schemas/status.schema.js';

export interface PostStatusInput {
  kind: StatusKind;
  text?: string;
  background?: string;
  font?: string;
  mediaId?: string;
  caption?: string;
  audience?: AudienceSetting;
}

/** A status as its author sees it: the state (pending while its media is processed) and the audience size. */
export type OwnStatusPayload = StatusPayload & { state: StatusState; audienceMode: string; audienceSize: number };

export interface FeedPayload {
  mine: OwnStatusPayload[];
  authors: Array<Omit<FeedAuthor<StatusPayload>, 'latestAt'> & { latestAt: string }>;
}

/** Posting, reading and ending statuses (docs/status.md). Every read of someone else's status passes StatusGate. */
@Injectable()
export class StatusService {
  private readonly logger = new Logger(StatusService.name);

  constructor(
    private readonly repo: StatusRepository,
    private readonly views: StatusViewsRepository,
    private readonly settings: StatusSettingsRepository,
    private readonly contacts: ContactDirectory,
    private readonly gate: StatusGate,
    private readonly media: StatusMedia,
    private readonly fanout: StatusFanout,
    private readonly config: AppConfig,
  ) {}

  async post(authorId: string, input: PostStatusInput): Promise<OwnStatusPayload> {
    const now = new Date();
    const content = await this.content(authorId, input);
    const setting = input.audience ?? (await this.settings.get(authorId));
    const audience = resolveAudience(await this.contacts.contactIdsOf(authorId), setting);
    const id = newObjectId();
    const status = await this.repo.insert(
      {
        _id: id,
        authorId,
        ...content,
        audienceMode: setting.mode,
        audienceSize: audience.length,
        expiresAt: new Date(now.getTime() + this.config.status.ttlMs),
      },
      audience,
      now,
    );
    await this.media.attach(status);
    if (status.state === 'active') await this.fanout.announce(status, audience);
    else await this.releaseIfReady(status);
    return this.own(status, (await this.media.payloads([status])).get(status.mediaId ?? '') ?? null);
  }

  /** GET /statuses: mine first, then the connections with statuses visible to me (StatusGate rules, batched). */
  async feed(viewerId: string): Promise<FeedPayload> {
    const now = new Date();
    const [mine, visibleIds, contacts, settings] = await Promise.all([
      this.repo.liveOfAuthor(viewerId, now),
      this.repo.visibleStatusIds(viewerId, now),
      this.contacts.contactIdsOf(viewerId),
      this.settings.get(viewerId),
    ]);
    const connected = new Set(contacts);
    const theirs = (await this.repo.findLiveByIds(visibleIds, now))
      .filter((s) => s.state === 'active' && connected.has(s.authorId))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a._id.toHexString().localeCompare(b._id.toHexString()));
    const [viewed, media] = await Promise.all([
      this.views.viewedBy(
        viewerId,
        theirs.map((s) => s._id.toHexString()),
      ),
      this.media.payloads([...mine, ...theirs]),
    ]);
    const byAuthor = new Map<string, FeedAuthor<StatusPayload>>();
    for (const s of theirs) {
      const seen = viewed.has(s._id.toHexString());
      const group = byAuthor.get(s.authorId) ?? {
        authorId: s.authorId,
        muted: settings.mutes[s.authorId] === true,
        hasUnseen: false,
        latestAt: s.createdAt,
        statuses: [],
      };
      group.statuses.push(toStatusPayload(s, media.get(s.mediaId ?? '') ?? null, seen));
      group.hasUnseen ||= !seen;
      group.latestAt = s.createdAt;
      byAuthor.set(s.authorId, group);
    }
    return {
      mine: mine.map((s) => this.own(s, media.get(s.mediaId ?? '') ?? null)),
      authors: orderFeed([...byAuthor.values()]).map((a) => ({ ...a, latestAt: a.latestAt.toISOString() })),
    };
  }

  async byId(userId: string, statusId: string): Promise<StatusPayload> {
    const status = await this.gate.forAnyone(userId, statusId);
    const media = (await this.media.payloads([status])).get(status.mediaId ?? '') ?? null;
    if (status.authorId === userId) return this.own(status, media);
    const viewed = await this.views.viewedBy(userId, [statusId]);
    return toStatusPayload(status, media, viewed.has(statusId));
  }

  /** Signed URLs of a status's media: the audience (gate passed) and the author only. */
  async mediaOf(userId: string, statusId: string): Promise<StatusMediaPayload> {
    const status = await this.gate.forAnyone(userId, statusId);
    const media = (await this.media.payloads([status])).get(status.mediaId ?? '');
    if (!media) throw new AppError(HttpStatus.NOT_FOUND, 'status_media_not_found', 'This status has no media');
    return media;
  }

  /** Ends a status early; its audience's devices get `status:deleted`. Someone else's status: 404. */
  async remove(authorId: string, statusId: string): Promise<void> {
    const audience = await this.repo.audienceOf(statusId);
    const status = await this.repo.deleteOwned(authorId, statusId);
    if (!status) throw new AppError(HttpStatus.NOT_FOUND, 'status_not_found', 'Status not found');
    await this.views.deleteOfStatus(statusId);
    await this.media.detach(status);
    if (status.state === 'active' && status.expiresAt > new Date()) await this.fanout.deleted(status, audience);
  }

  /** media.processed (worker): statuses waiting for this media reach their audience, or fail with it. */
  async mediaProcessed(mediaId: string, outcome: 'ready' | 'failed'): Promise<void> {
    for (const status of await this.repo.pendingWithMedia(mediaId)) {
      if (outcome === 'ready') await this.activate(status._id.toHexString());
      else await this.repo.fail(status._id.toHexString());
    }
  }

  @OnDomainEvent('user.deleted')
  async forgetUser({ userId }: DomainEvents['user.deleted']): Promise<void> {
    const own = await this.repo.deleteUser(userId);
    await Promise.all([this.views.deleteUser(userId), this.settings.delete(userId)]);
    for (const s of own) await this.media.detach(s).catch((err: unknown) => this.logger.warn({ err, statusId: s._id }, 'detach failed'));
  }

  /** A pending status whose media became ready between the ownership check and the insert. */
  private async releaseIfReady(status: StatusRecord): Promise<void> {
    const media = status.mediaId ? await this.media.statusOf(status.mediaId) : null;
    if (media?.status === 'ready') await this.activate(status._id.toHexString());
    else if (media?.status === 'failed') await this.repo.fail(status._id.toHexString());
  }

  /** Exactly one caller wins the pending -> active transition and announces. */
  private async activate(statusId: string): Promise<void> {
    const active = await this.repo.activate(statusId);
    if (active && active.expiresAt > new Date()) await this.fanout.announce(active, await this.repo.audienceOf(statusId));
  }

  private async content(
    authorId: string,
    input: PostStatusInput,
  ): Promise<Pick<StatusRecord, 'kind' | 'state' | 'text' | 'background' | 'font' | 'mediaId' | 'caption'>> {
    if (input.kind === 'text') {
      if (!input.text || input.mediaId || input.caption !== undefined) {
        throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_status', 'A text status has text, and no mediaId or caption');
      }
      return {
        kind: 'text',
        state: 'active',
        text: input.text,
        background: input.background ?? null,
        font: input.font ?? null,
        mediaId: null,
        caption: null,
      };
    }
    if (!input.mediaId || input.text !== undefined || input.background !== undefined || input.font !== undefined) {
      throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_status', `A ${input.kind} status has a mediaId (and a caption), no text`);
    }
    const item = await this.media.ownedFor(authorId, input.mediaId, input.kind);
    return {
      kind: input.kind,
      state: item.status === 'ready' ? 'active' : 'pending',
      text: null,
      background: null,
      font: null,
      mediaId: item.id,
      caption: input.caption ?? null,
    };
  }

  private own(s: StatusRecord, media: StatusMediaPayload | null): OwnStatusPayload {
    return { ...toStatusPayload(s, media, true), state: s.state, audienceMode: s.audienceMode, audienceSize: s.audienceSize };
  }
}
