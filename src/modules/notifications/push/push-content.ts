import type { NotificationRecord } from '../schemas/notification.schema.js';

/** What one push shows, whatever the provider: each provider maps it onto its own wire format. */
export interface PushContent {
  kind: NotificationRecord['kind'];
  title: string;
  body: string;
  /** String values only (FCM data messages allow nothing else). */
  data: Record<string, string>;
  /** Pushes with the same key replace each other (Web Push Topic, FCM collapse_key, apns-collapse-id, tag). */
  collapseKey: string;
  /** Exact unread messages across the recipient's unmuted chats. */
  badge: number;
  urgency: 'high' | 'normal';
  ttlSeconds: number;
  /** Incoming call: APNs VoIP push (apns-voip devices only), FCM/Web Push high-priority data. */
  voip: boolean;
}

export interface PushContext {
  badge: number;
  /** Chat digests: unread messages of that chat (the push says "3 new messages"). */
  messageCount?: number;
  previews: boolean;
  ttlSeconds: number;
  now: Date;
}

const MEDIA_LABEL: Record<string, string> = { image: 'Photo', video: 'Video', audio: 'Audio', file: 'File', call: 'Call' };

const str = (v: string | number | boolean | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** Pure: a stored notification and its context -> the push (unit tested). */
export function pushContent(n: NotificationRecord, ctx: PushContext): PushContent {
  const data: Record<string, string> = {
    kind: n.kind,
    notificationId: n._id.toHexString(),
    actorId: n.actorId?.toHexString() ?? '',
    subjectType: n.subject.type,
    subjectId: n.subject.id,
    badge: String(ctx.badge),
  };
  const base = { kind: n.kind, data, badge: ctx.badge, ttlSeconds: ctx.ttlSeconds, voip: false };
  switch (n.kind) {
    case 'connection.requested':
      return {
        ...base,
        title: 'New connection request',
        body: 'Someone scanned your QR code',
        collapseKey: `conn-${n.subject.id}`,
        urgency: 'normal',
      };
    case 'connection.accepted':
      return {
        ...base,
        title: 'Connection accepted',
        body: 'You are now connected',
        collapseKey: `conn-${n.subject.id}`,
        urgency: 'normal',
      };
    case 'call.missed':
      return {
        ...base,
        title: n.data.callKind === 'video' ? 'Missed video call' : 'Missed voice call',
        body: 'Tap to call back',
        collapseKey: `call-${n.subject.id}`,
        urgency: 'normal',
      };
    case 'call.incoming': {
      // Ringing ends at expiresAt: a push delivered later would ring for a call that is over.
      const left = Math.floor((Date.parse(str(n.data.expiresAt)) - ctx.now.getTime()) / 1000);
      return {
        ...base,
        data: { ...data, callKind: str(n.data.callKind), expiresAt: str(n.data.expiresAt) },
        title: n.data.callKind === 'video' ? 'Incoming video call' : 'Incoming voice call',
        body: '',
        collapseKey: `call-${n.subject.id}`,
        urgency: 'high',
        ttlSeconds: Math.max(0, Math.min(ctx.ttlSeconds, Number.isFinite(left) ? left : 0)),
        voip: true,
      };
    }
    case 'status.replied': {
      const chatId = str(n.data.chatId);
      const text =
        n.data.replyKind === 'reaction' ? `Reacted ${str(n.data.text)} to your status` : str(n.data.text) || 'Replied to your status';
      return {
        ...base,
        data: { ...data, chatId },
        title: 'Reply to your status',
        body: ctx.previews ? text : 'New reply',
        // The reply also landed in the chat: one notification per chat on the device.
        collapseKey: `chat-${chatId}`,
        urgency: 'high',
      };
    }
    case 'message': {
      const count = ctx.messageCount ?? 1;
      const type = str(n.data.messageType);
      const preview = str(n.data.text) || MEDIA_LABEL[type] || 'Message';
      return {
        ...base,
        data: { ...data, chatId: n.subject.id, count: String(count), messageId: str(n.data.messageId) },
        title: count > 1 ? `${count} new messages` : 'New message',
        body: ctx.previews ? preview : 'New message',
        collapseKey: `chat-${n.subject.id}`,
        urgency: 'high',
      };
    }
  }
}
