import { Injectable } from '@nestjs/common';
import { ContactDirectory } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { StatusMedia } from './status-media.js';
import { toStatusPayload } from './status-payload.js';
import { StatusSettingsRepository } from './status-settings.repository.js';
import type { StatusRecord } from './schemas/status.schema.js';

/**
 * Live status events. Recipients are the audience chosen at posting time, narrowed to who is still
 * connected (blocks and removals since) and to who has not muted the author: no one else's sockets.
 * Works in both processes (RealtimeEmitter reaches api sockets from the worker).
 */
@Injectable()
export class StatusFanout {
  constructor(
    private readonly contacts: ContactDirectory,
    private readonly settings: StatusSettingsRepository,
    private readonly media: StatusMedia,
    private readonly emitter: RealtimeEmitter,
  ) {}

  async announce(status: StatusRecord, audience: readonly string[]): Promise<void> {
    const recipients = await this.recipients(status.authorId, audience);
    if (recipients.length === 0) return;
    const media = (await this.media.payloads([status])).get(status.mediaId ?? '') ?? null;
    this.emitter.toUsers(recipients, 'status:new', { status: toStatusPayload(status, media, false) });
  }

  async deleted(status: StatusRecord, audience: readonly string[]): Promise<void> {
    const recipients = await this.recipients(status.authorId, audience);
    this.emitter.toUsers(recipients, 'status:deleted', { statusId: status._id.toHexString(), authorId: status.authorId });
  }

  viewed(authorId: string, payload: { statusId: string; viewerId: string; viewedAt: string }): void {
    this.emitter.toUser(authorId, 'status:viewed', payload);
  }

  private async recipients(authorId: string, audience: readonly string[]): Promise<string[]> {
    const [contacts, muted] = await Promise.all([this.contacts.contactIdsOf(authorId), this.settings.mutedBy(audience, authorId)]);
    const connected = new Set(contacts);
    return audience.filter((id) => connected.has(id) && !muted.has(id));
  }
}
