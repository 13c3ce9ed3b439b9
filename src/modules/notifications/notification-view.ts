import type { NotificationPayload } from '@app/realtime';
import type { NotificationRecord } from './schemas/notification.schema.js';
import type { FeedCursor } from './notifications.repository.js';

export function notificationView(n: NotificationRecord): NotificationPayload {
  return {
    id: n._id.toHexString(),
    kind: n.kind,
    actorId: n.actorId?.toHexString() ?? null,
    subject: n.subject,
    data: n.data ?? {},
    createdAt: n.createdAt.toISOString(),
    seenAt: n.seenAt?.toISOString() ?? null,
    readAt: n.readAt?.toISOString() ?? null,
  };
}

export function encodeFeedCursor(c: FeedCursor): string {
  return Buffer.from(`${c.at}:${c.id}`).toString('base64url');
}

/** null for anything that is not a cursor this server issued. */
export function decodeFeedCursor(raw: string): FeedCursor | null {
  const m = /^(\d{1,16}):([0-9a-f]{24})$/.exec(Buffer.from(raw, 'base64url').toString());
  return m ? { at: Number(m[1]), id: m[2] } : null;
}
