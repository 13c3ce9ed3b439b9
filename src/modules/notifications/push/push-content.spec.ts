import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { drafts } from '../notification-drafts.js';
import type { NotificationRecord } from '../schemas/notification.schema.js';
import { pushContent } from './push-content.js';
import { retryAfterMs } from './push-provider.js';
import { fcmErrorCode } from './fcm.provider.js';
import { webPushTopic } from './web-push.provider.js';

const u1 = new Types.ObjectId().toHexString();
const u2 = new Types.ObjectId().toHexString();
const chatId = new Types.ObjectId().toHexString();

function record(draft: ReturnType<typeof drafts.messageCreated>): NotificationRecord {
  return {
    _id: new Types.ObjectId(),
    recipientId: new Types.ObjectId(draft.recipientId),
    kind: draft.kind,
    feed: false,
    actorId: draft.actorId ? new Types.ObjectId(draft.actorId) : null,
    subject: draft.subject,
    data: draft.data,
    dedupeKey: draft.dedupeKey,
    createdAt: new Date(draft.at),
    seenAt: null,
    readAt: null,
    fannedOutAt: null,
    pushedAt: null,
  };
}

const ctx = { badge: 7, previews: true, ttlSeconds: 3600, now: new Date('2026-01-01T00:00:00Z') };
const message = (text: string | null, type = 'text') =>
  record(
    drafts.messageCreated({
      messageId: 'm1',
      chatId,
      seq: 3,
      senderId: u1,
      recipientId: u2,
      type,
      text,
      createdAt: '2026-01-01T00:00:00.000Z',
    }),
  );

describe('pushContent', () => {
  it('a chat digest shows the latest text, the count, and collapses per chat', () => {
    const c = pushContent(message('see you'), { ...ctx, messageCount: 3 });
    expect(c).toMatchObject({
      title: '3 new messages',
      body: 'see you',
      collapseKey: `chat-${chatId}`,
      badge: 7,
      urgency: 'high',
      voip: false,
    });
    expect(c.data).toMatchObject({ kind: 'message', chatId, count: '3', actorId: u1, badge: '7' });
    expect(Object.values(c.data).every((v) => typeof v === 'string')).toBe(true);
  });

  it('previews off hides the text; media without a caption gets a label', () => {
    expect(pushContent(message('secret'), { ...ctx, previews: false }).body).toBe('New message');
    expect(pushContent(message(null, 'image'), ctx).body).toBe('Photo');
  });

  it('an incoming call is a VoIP push whose TTL ends with the ringing', () => {
    const draft = drafts.callIncoming({ callId: 'c1', callerId: u1, calleeId: u2, kind: 'video', expiresAt: '2026-01-01T00:00:30.000Z' });
    const c = pushContent(record(draft), ctx);
    expect(c).toMatchObject({ voip: true, urgency: 'high', ttlSeconds: 30, title: 'Incoming video call', collapseKey: 'call-c1' });
    const late = pushContent(record(draft), { ...ctx, now: new Date('2026-01-01T00:01:00Z') });
    expect(late.ttlSeconds).toBe(0);
  });

  it('a status reply collapses with the chat it landed in', () => {
    const draft = drafts.statusReplied({
      statusId: 's1',
      authorId: u2,
      replierId: u1,
      chatId,
      messageId: 'm9',
      kind: 'reaction',
      text: '🔥',
    });
    expect(pushContent(record(draft as never), ctx)).toMatchObject({ collapseKey: `chat-${chatId}`, body: 'Reacted 🔥 to your status' });
  });
});

describe('drafts', () => {
  it('derive one dedupeKey per event and the right recipient', () => {
    const e = { requestId: 'r1', fromUserId: u1, toUserId: u2 };
    expect(drafts.connectionRequested(e)).toMatchObject({ recipientId: u2, actorId: u1, dedupeKey: 'connection.requested:r1' });
    expect(drafts.connectionAccepted(e)).toMatchObject({ recipientId: u1, actorId: u2, dedupeKey: 'connection.accepted:r1' });
    const missed = drafts.callMissed({ callId: 'c1', callerId: u1, calleeId: u2, kind: 'audio', at: '2026-01-01T00:00:00.000Z' });
    expect(missed).toMatchObject({ recipientId: u2, dedupeKey: 'call.missed:c1', at: '2026-01-01T00:00:00.000Z' });
  });
});

describe('provider helpers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });

  it('finds the FCM error code in details, else the status', () => {
    expect(fcmErrorCode({ error: { status: 'NOT_FOUND', details: [{ '@type': 'x', errorCode: 'UNREGISTERED' }] } })).toBe('UNREGISTERED');
    expect(fcmErrorCode({ error: { status: 'UNAVAILABLE' } })).toBe('UNAVAILABLE');
    expect(fcmErrorCode(null)).toBeNull();
  });

  it('keeps a Web Push Topic within 32 URL-safe base64 characters', () => {
    expect(webPushTopic(`chat-${chatId}`)).toBe(`chat-${chatId}`);
    const long = webPushTopic('call-123e4567-e89b-12d3-a456-426614174000');
    expect(long).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
