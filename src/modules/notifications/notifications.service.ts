import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError } from '@app/common';
import { type NotificationPayload, RealtimeEmitter } from '@app/realtime';
import { decodeFeedCursor, encodeFeedCursor, notificationView } from './notification-view.js';
import { NotificationsRepository } from './notifications.repository.js';
import type { NotificationRecord } from './schemas/notification.schema.js';

export interface NotificationPage {
  items: NotificationPayload[];
  nextCursor: string | null;
}

/** The in-app feed: list, read state and the exact unread count, with the socket events that follow them. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly realtime: RealtimeEmitter,
  ) {}

  async list(userId: string, q: { cursor?: string; limit?: number }): Promise<NotificationPage> {
    const cursor = q.cursor ? decodeFeedCursor(q.cursor) : null;
    if (q.cursor && !cursor) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_cursor', 'cursor is not one this server issued');
    const limit = q.limit ?? 20;
    const rows = await this.repo.page(userId, cursor, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(notificationView),
      nextCursor: rows.length > limit && last ? encodeFeedCursor({ at: last.createdAt.getTime(), id: last._id.toHexString() }) : null,
    };
  }

  unreadCount(userId: string): Promise<number> {
    return this.repo.unreadCount(userId);
  }

  /** Marks the caller's notifications read (others' ids are ignored); every device gets the new count. */
  async markRead(userId: string, target: { ids?: string[]; all?: boolean }): Promise<{ updated: number; unread: number }> {
    if (Boolean(target.all) === Boolean(target.ids)) {
      throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', 'Give exactly one of ids or all', {
        fields: { ids: ['exactly one of ids or all: true is required'] },
      });
    }
    const ids = target.all ? 'all' : (target.ids ?? []).map((id) => id.toLowerCase());
    const updated = await this.repo.markRead(userId, ids, new Date());
    const unread = await this.repo.unreadCount(userId);
    this.realtime.toUser(userId, 'notification:count', { unread });
    return { updated, unread };
  }

  /** A newly stored feed notification to the recipient's devices (from the worker, through the Redis adapter). */
  async publish(record: NotificationRecord): Promise<void> {
    const userId = record.recipientId.toHexString();
    this.realtime.toUser(userId, 'notification:new', { notification: notificationView(record) });
    this.realtime.toUser(userId, 'notification:count', { unread: await this.repo.unreadCount(userId) });
  }
}
