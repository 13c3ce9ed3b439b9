import { Injectable } from '@nestjs/common';
import { ContactDirectory } from '@app/common';
import { StatusFanout } from './status-fanout.js';
import { StatusGate } from './status-gate.js';
import { StatusMedia } from './status-media.js';
import { showsView } from './status-rules.js';
import { StatusRepository } from './status.repository.js';
import { StatusSettingsRepository } from './status-settings.repository.js';
import { StatusViewsRepository } from './status-views.repository.js';
import { toStatusPayload } from './status-payload.js';
import type { OwnStatusPayload } from './status.service.js';

export interface ViewResult {
  statusId: string;
  /** When the viewer first viewed it (kept on repeats); null for the author's own status. */
  viewedAt: string | null;
}

export interface Viewer {
  userId: string;
  viewedAt: string;
}

export type MyStatusPayload = OwnStatusPayload & { viewers: Viewer[] };

/** Views (once per viewer, the first time kept) and the author's list of who viewed what. */
@Injectable()
export class StatusViewsService {
  constructor(
    private readonly repo: StatusRepository,
    private readonly views: StatusViewsRepository,
    private readonly settings: StatusSettingsRepository,
    private readonly contacts: ContactDirectory,
    private readonly gate: StatusGate,
    private readonly media: StatusMedia,
    private readonly fanout: StatusFanout,
  ) {}

  /**
   * Idempotent across devices and processes (unique `_id`). Only the first view is announced, and only
   * when both sides have read receipts on (reciprocal, as WhatsApp does).
   */
  async view(viewerId: string, statusId: string): Promise<ViewResult> {
    const status = await this.gate.forAnyone(viewerId, statusId);
    if (status.authorId === viewerId) return { statusId, viewedAt: null };
    const { view, first } = await this.views.record({
      statusId,
      viewerId,
      authorId: status.authorId,
      viewedAt: new Date(),
      expiresAt: status.expiresAt,
    });
    const viewedAt = view.viewedAt.toISOString();
    if (first) {
      const receipts = await this.settings.readReceiptsOf([status.authorId, viewerId]);
      if (showsView(receipts.get(status.authorId)!, receipts.get(viewerId)!))
        this.fanout.viewed(status.authorId, { statusId, viewerId, viewedAt });
    }
    return { statusId, viewedAt };
  }

  /**
   * GET /statuses/mine: my live statuses, each with who viewed it and when. Viewers show only when both
   * sides have read receipts on, and only while still connected (a block or removal hides them).
   */
  async mine(authorId: string): Promise<MyStatusPayload[]> {
    const now = new Date();
    const statuses = await this.repo.liveOfAuthor(authorId, now);
    const ids = statuses.map((s) => s._id.toHexString());
    const [views, contacts, media] = await Promise.all([
      this.views.ofStatuses(authorId, ids),
      this.contacts.contactIdsOf(authorId),
      this.media.payloads(statuses),
    ]);
    const connected = new Set(contacts);
    const receipts = await this.settings.readReceiptsOf([authorId, ...views.map((v) => v.viewerId)]);
    const byStatus = new Map<string, Viewer[]>();
    for (const v of views) {
      if (!connected.has(v.viewerId) || !showsView(receipts.get(authorId)!, receipts.get(v.viewerId)!)) continue;
      byStatus.set(v.statusId, [...(byStatus.get(v.statusId) ?? []), { userId: v.viewerId, viewedAt: v.viewedAt.toISOString() }]);
    }
    return statuses.map((s) => ({
      ...toStatusPayload(s, media.get(s.mediaId ?? '') ?? null, true),
      state: s.state,
      audienceMode: s.audienceMode,
      audienceSize: s.audienceSize,
      viewers: byStatus.get(s._id.toHexString()) ?? [],
    }));
  }
}
