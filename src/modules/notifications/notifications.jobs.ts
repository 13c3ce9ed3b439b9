import type { NotificationDraft } from './notification-drafts.js';

/** The notifications module's queue (fan-out runs in the worker only). */
export enum NotificationsQueue {
  Notifications = 'notifications',
}

export enum NotificationsJob {
  /** A domain event to tell someone about: store it once, emit in-app, push when offline. */
  Notify = 'notifications.notify',
  /** Delayed: the offline user's new messages of one chat become one push (collapsed per chat). */
  ChatDigest = 'notifications.chat-digest',
  /** One push of one notification to one device (retried with backoff and Retry-After). */
  Push = 'notifications.push',
}

export interface NotificationsJobPayloads {
  [NotificationsJob.Notify]: { draft: NotificationDraft };
  [NotificationsJob.ChatDigest]: { recipientId: string; chatId: string };
  [NotificationsJob.Push]: { notificationId: string; deviceId: string; messageCount?: number };
}

export type NotificationsJobName = keyof NotificationsJobPayloads;

/** BullMQ refuses `:` in custom job ids; every id here is made of `-` and hex/word parts. */
export function jobId(...parts: Array<string | number>): string {
  return parts.map((p) => String(p).replace(/[^A-Za-z0-9_.]/g, '_')).join('-');
}
