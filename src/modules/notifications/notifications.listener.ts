import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { type DomainEvents, OnDomainEvent } from '@app/common';
import { ConnectedDevices } from '../presence/index.js';
import { drafts, type NotificationDraft } from './notification-drafts.js';
import { jobId, NotificationsJob, type NotificationsJobPayloads, NotificationsQueue } from './notifications.jobs.js';
import { NotificationsRepository } from './notifications.repository.js';
import { PreferencesRepository } from './preferences.repository.js';
import { PushDevicesRepository } from './push-devices.repository.js';

/**
 * Hears the domain events and only enqueues a job whose id follows from the event, so the same event
 * enqueued twice runs once; the processor does the rest. Registered in both processes, since events are
 * in-process and a producer may emit from either (a ring timeout job in the worker emits call.missed).
 */
@Injectable()
export class NotificationsListener {
  private readonly logger = new Logger(NotificationsListener.name);

  constructor(
    @InjectQueue(NotificationsQueue.Notifications) private readonly queue: Queue,
    private readonly presence: ConnectedDevices,
    private readonly notifications: NotificationsRepository,
    private readonly devices: PushDevicesRepository,
    private readonly prefs: PreferencesRepository,
  ) {}

  @OnDomainEvent('connection.requested')
  onConnectionRequested(e: DomainEvents['connection.requested']): Promise<void> {
    return this.enqueue(drafts.connectionRequested(e));
  }

  @OnDomainEvent('connection.accepted')
  onConnectionAccepted(e: DomainEvents['connection.accepted']): Promise<void> {
    return this.enqueue(drafts.connectionAccepted(e));
  }

  @OnDomainEvent('call.missed')
  onCallMissed(e: DomainEvents['call.missed']): Promise<void> {
    return this.enqueue(drafts.callMissed(e));
  }

  /** Ringing reaches connected devices as `call:incoming`; only a callee with none needs a (VoIP) push. */
  @OnDomainEvent('call.incoming')
  async onCallIncoming(e: DomainEvents['call.incoming']): Promise<void> {
    if (await this.connected(e.calleeId)) return;
    return this.enqueue(drafts.callIncoming(e));
  }

  @OnDomainEvent('status.replied')
  onStatusReplied(e: DomainEvents['status.replied']): Promise<void> {
    return this.enqueue(drafts.statusReplied(e));
  }

  /**
   * A connected device gets the message as `chat:receive`; only a recipient with none is pushed. Call
   * messages are told about by call.missed instead.
   */
  @OnDomainEvent('message.created')
  async onMessageCreated(e: DomainEvents['message.created']): Promise<void> {
    if (e.type === 'call' || (await this.connected(e.recipientId))) return;
    return this.enqueue(drafts.messageCreated(e));
  }

  @OnDomainEvent('user.deleted')
  async onUserDeleted({ userId }: DomainEvents['user.deleted']): Promise<void> {
    await Promise.all([this.notifications.deleteAllOf(userId), this.devices.deleteAllOf(userId), this.prefs.delete(userId)]).catch(
      (err: unknown) => this.logger.error({ err, userId }, 'deleting the notifications of a deleted user failed'),
    );
  }

  private async connected(userId: string): Promise<boolean> {
    return this.presence.any(userId).catch(() => false); // unsure: a push too many beats a missed call
  }

  private async enqueue(draft: NotificationDraft): Promise<void> {
    try {
      await this.queue.add(NotificationsJob.Notify, { draft } satisfies NotificationsJobPayloads[NotificationsJob.Notify], {
        jobId: jobId('ev', draft.dedupeKey),
      });
    } catch (err) {
      this.logger.error({ err, dedupeKey: draft.dedupeKey }, 'could not enqueue a notification');
    }
  }
}
