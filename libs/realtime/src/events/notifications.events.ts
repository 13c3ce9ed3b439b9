/** Kinds of notification a user can be told about (the in-app list holds the first four). */
export type NotificationKind =
  'connection.requested' | 'connection.accepted' | 'call.missed' | 'status.replied' | 'message' | 'call.incoming';

/** One in-app notification as REST and socket events show it. */
export interface NotificationPayload {
  id: string;
  kind: NotificationKind;
  /** Who caused it (the requester, the caller, the replier); null for system notifications. */
  actorId: string | null;
  /** What it is about: a connection request, a call, a status, a chat. */
  subject: { type: 'connection-request' | 'call' | 'status' | 'chat'; id: string };
  /** Kind-specific details (call kind, reply text, ...). */
  data: Record<string, string | number | boolean | null>;
  createdAt: string;
  seenAt: string | null;
  readAt: string | null;
}

/** Server-to-client events of the notifications module (to every device of the recipient). */
export interface NotificationsServerEvents {
  /** A new in-app notification. */
  'notification:new': { notification: NotificationPayload };
  /** The exact number of unread in-app notifications, after any change (new, read). */
  'notification:count': { unread: number };
}
