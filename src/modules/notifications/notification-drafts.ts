import type { DomainEvents } from '@app/common';
import type { NotificationKind, NotificationPayload } from '@app/realtime';

/** What a domain event becomes: one notification for one recipient, identified by `dedupeKey`. */
export interface NotificationDraft {
  kind: NotificationKind;
  recipientId: string;
  actorId: string | null;
  subject: NotificationPayload['subject'];
  data: NotificationPayload['data'];
  /** Same event -> same key: the unique index makes a replayed event a no-op. */
  dedupeKey: string;
  /** When it happened (the event's time when it carries one), ISO. */
  at: string;
}

/** Kinds listed in the in-app feed and counted as unread; the others (message, call.incoming) only push. */
export const FEED_KINDS: readonly NotificationKind[] = ['connection.requested', 'connection.accepted', 'call.missed', 'status.replied'];

export const isFeedKind = (kind: NotificationKind): boolean => FEED_KINDS.includes(kind);

/** Pure mapping of each domain event the module listens to (unit tested). */
export const drafts = {
  connectionRequested(e: DomainEvents['connection.requested'], at = new Date()): NotificationDraft {
    return {
      kind: 'connection.requested',
      recipientId: e.toUserId,
      actorId: e.fromUserId,
      subject: { type: 'connection-request', id: e.requestId },
      data: {},
      dedupeKey: `connection.requested:${e.requestId}`,
      at: at.toISOString(),
    };
  },
  connectionAccepted(e: DomainEvents['connection.accepted'], at = new Date()): NotificationDraft {
    return {
      kind: 'connection.accepted',
      recipientId: e.fromUserId,
      actorId: e.toUserId,
      subject: { type: 'connection-request', id: e.requestId },
      data: {},
      dedupeKey: `connection.accepted:${e.requestId}`,
      at: at.toISOString(),
    };
  },
  callMissed(e: DomainEvents['call.missed']): NotificationDraft {
    return {
      kind: 'call.missed',
      recipientId: e.calleeId,
      actorId: e.callerId,
      subject: { type: 'call', id: e.callId },
      data: { callKind: e.kind },
      dedupeKey: `call.missed:${e.callId}`,
      at: e.at,
    };
  },
  callIncoming(e: DomainEvents['call.incoming'], at = new Date()): NotificationDraft {
    return {
      kind: 'call.incoming',
      recipientId: e.calleeId,
      actorId: e.callerId,
      subject: { type: 'call', id: e.callId },
      data: { callKind: e.kind, expiresAt: e.expiresAt },
      dedupeKey: `call.incoming:${e.callId}`,
      at: at.toISOString(),
    };
  },
  statusReplied(e: DomainEvents['status.replied'], at = new Date()): NotificationDraft {
    return {
      kind: 'status.replied',
      recipientId: e.authorId,
      actorId: e.replierId,
      subject: { type: 'status', id: e.statusId },
      data: { replyKind: e.kind, text: e.text, chatId: e.chatId, messageId: e.messageId },
      dedupeKey: `status.replied:${e.messageId}`,
      at: at.toISOString(),
    };
  },
  messageCreated(e: DomainEvents['message.created']): NotificationDraft {
    return {
      kind: 'message',
      recipientId: e.recipientId,
      actorId: e.senderId,
      subject: { type: 'chat', id: e.chatId },
      data: { messageId: e.messageId, seq: e.seq, messageType: e.type, text: e.text },
      dedupeKey: `message:${e.messageId}`,
      at: e.createdAt,
    };
  },
};
