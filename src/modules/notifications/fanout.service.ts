import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '../../config/index.js';
import { ChatMuteService } from '../chat/index.js';
import { ConnectedDevices } from '../presence/index.js';
import type { NotificationDraft } from './notification-drafts.js';
import { jobId, NotificationsJob, type NotificationsJobPayloads, NotificationsQueue } from './notifications.jobs.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';
import { PreferencesRepository } from './preferences.repository.js';
import { PushDevicesRepository } from './push-devices.repository.js';
import { pushContent } from './push/push-content.js';
import { PushProviders } from './push/push-providers.js';
import { inQuietHours } from './push/quiet-hours.js';
import type { NotificationRecord } from './schemas/notification.schema.js';
import type { PushDeviceRecord } from './schemas/push-device.schema.js';

/** A push the service asked to retry: the processor's backoff waits `retryAfterMs` when given. */
export class RetryablePushError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'RetryablePushError';
  }
}

export const PUSH_ATTEMPTS = 6;

export type FanoutResult = { stored: false } | { stored: true; notificationId: string; pushes: number; reason?: string };

/**
 * The worker side of every notification: store once, tell the devices that are connected, push to the
 * others. Every step is idempotent (BullMQ is at-least-once): the unique dedupeKey, deterministic job ids
 * for digests and pushes, and pushedAt marks on message notifications.
 */
@Injectable()
export class FanoutService {
  private readonly logger = new Logger(FanoutService.name);

  constructor(
    @InjectQueue(NotificationsQueue.Notifications) private readonly queue: Queue,
    private readonly repo: NotificationsRepository,
    private readonly inApp: NotificationsService,
    private readonly devices: PushDevicesRepository,
    private readonly prefs: PreferencesRepository,
    private readonly providers: PushProviders,
    private readonly online: ConnectedDevices,
    private readonly chats: ChatMuteService,
    private readonly config: AppConfig,
  ) {}

  async notify(draft: NotificationDraft): Promise<FanoutResult> {
    let record = await this.repo.insertOnce(draft);
    if (record) {
      if (record.feed) await this.inApp.publish(record);
    } else {
      // A replayed event: a no-op, unless the first run stopped before its fan-out was done.
      record = await this.repo.findByDedupeKey(draft.dedupeKey);
      if (!record || record.fannedOutAt) return { stored: false };
    }
    const result = await this.fanOut(record, draft.recipientId);
    await this.repo.markFannedOut(record._id, new Date());
    return { stored: true, notificationId: record._id.toHexString(), ...result };
  }

  /**
   * The offline user's not-yet-pushed messages of one chat become one push showing the latest and the
   * chat's unread count; the same collapse key replaces an earlier push of that chat on the device.
   * Pushes are enqueued before the messages are marked pushed, so a retry repeats them (same job ids).
   */
  async chatDigest({
    recipientId,
    chatId,
  }: NotificationsJobPayloads[NotificationsJob.ChatDigest]): Promise<{ pushes: number; reason?: string }> {
    const pending = await this.repo.unpushedMessages(recipientId, chatId);
    if (pending.length === 0) return { pushes: 0, reason: 'nothing pending' };
    const result = await this.digestPush(recipientId, chatId, pending.at(-1)!);
    await this.repo.markPushed(
      pending.map((n) => n._id),
      new Date(),
    );
    // A message stored while this ran may have found this job's id taken: it gets a digest of its own.
    await this.scheduleDigest(recipientId, chatId);
    return result;
  }

  private async digestPush(recipientId: string, chatId: string, latest: NotificationRecord): Promise<{ pushes: number; reason?: string }> {
    if (await this.online.any(recipientId)) return { pushes: 0, reason: 'online' };
    const [prefs, muted] = await Promise.all([this.prefs.get(recipientId), this.chats.isMuted(recipientId, chatId)]);
    if (prefs.muteAllChats || muted) return { pushes: 0, reason: 'muted' };
    const count = await this.chats.unreadIn(recipientId, chatId);
    if (count === 0) return { pushes: 0, reason: 'already read' };
    return this.pushToDevices(latest, count);
  }

  private async fanOut(record: NotificationRecord, recipientId: string): Promise<{ pushes: number; reason?: string }> {
    if (record.kind === 'message') {
      await this.scheduleDigest(recipientId, record.subject.id);
      return { pushes: 0, reason: 'digest scheduled' };
    }
    if (await this.online.any(recipientId)) return { pushes: 0, reason: 'online' };
    return this.pushToDevices(record);
  }

  /** One push of one notification to one device; a gone device is pruned, a busy service retried. */
  async push({ notificationId, deviceId, messageCount }: NotificationsJobPayloads[NotificationsJob.Push]): Promise<{ outcome: string }> {
    const [notification, device] = await Promise.all([this.repo.findById(notificationId), this.devices.findById(deviceId)]);
    if (!notification || !device || !device.userId.equals(notification.recipientId)) return { outcome: 'skipped' };
    const recipientId = notification.recipientId.toHexString();
    const [prefs, badge] = await Promise.all([this.prefs.get(recipientId), this.chats.unreadTotal(recipientId, { excludeMuted: true })]);
    const content = pushContent(notification, {
      badge,
      messageCount,
      previews: prefs.previews,
      ttlSeconds: this.config.notifications.push.ttlSeconds,
      now: new Date(),
    });
    const outcome = await this.providers.send(device, content);
    switch (outcome.status) {
      case 'delivered':
        return { outcome: 'delivered' };
      case 'gone':
        await this.devices.deleteById(device._id);
        this.logger.log({ deviceId, platform: device.platform, reason: outcome.reason }, 'push device pruned');
        return { outcome: 'pruned' };
      case 'retry':
        throw new RetryablePushError(outcome.reason, outcome.retryAfterMs);
      case 'rejected':
        this.logger.warn({ deviceId, platform: device.platform, reason: outcome.reason }, 'push rejected');
        return { outcome: 'rejected' };
    }
  }

  /** One job per device (its own retries), id derived from the notification and the device. */
  private async pushToDevices(record: NotificationRecord, messageCount?: number): Promise<{ pushes: number; reason?: string }> {
    const recipientId = record.recipientId.toHexString();
    const prefs = await this.prefs.get(recipientId);
    if (inQuietHours(prefs.quietHours, new Date())) return { pushes: 0, reason: 'quiet hours' };
    const devices = (await this.devices.listOf(recipientId)).filter((d) => this.wants(d, record) && this.providers.enabled(d.platform));
    if (devices.length === 0) return { pushes: 0, reason: 'no devices' };
    const notificationId = record._id.toHexString();
    await this.queue.addBulk(
      devices.map((d) => ({
        name: NotificationsJob.Push,
        data: { notificationId, deviceId: d._id, messageCount } satisfies NotificationsJobPayloads[NotificationsJob.Push],
        opts: { jobId: jobId('push', notificationId, d._id), attempts: PUSH_ATTEMPTS, backoff: { type: 'push' } },
      })),
    );
    return { pushes: devices.length };
  }

  /** VoIP devices get incoming calls only; plain APNs devices get everything else (iOS rings through VoIP). */
  private wants(device: PushDeviceRecord, record: NotificationRecord): boolean {
    if (device.platform === 'apns-voip') return record.kind === 'call.incoming';
    if (device.platform === 'apns') return record.kind !== 'call.incoming';
    return true;
  }

  /**
   * Collapses a burst: the digest job's id names the oldest message not yet pushed, so every message
   * stored before that digest runs maps to the same (already queued) job, which reads them all.
   */
  private async scheduleDigest(recipientId: string, chatId: string): Promise<void> {
    const oldest = (await this.repo.unpushedMessages(recipientId, chatId))[0];
    if (!oldest) return;
    await this.queue.add(
      NotificationsJob.ChatDigest,
      { recipientId, chatId } satisfies NotificationsJobPayloads[NotificationsJob.ChatDigest],
      { jobId: jobId('digest', oldest._id.toHexString()), delay: this.config.notifications.chatDigestMs },
    );
  }
}
