/**
 * Every in-process domain event and its payload: the one typed map modules emit through
 * (DomainEventBus) and listen to (@OnDomainEvent). An event with no listener does not belong here.
 * Events are in-process only: each process (api, worker) hears what it emits itself. A listener that
 * does slow or fan-out work enqueues a job instead of doing it inline.
 */
export interface DomainEvents {
  /** An account was deleted; every module removes its own data of that user (awaited by the deleter). */
  'user.deleted': { userId: string };
  /** A user's name, about, avatar or privacy settings changed. */
  'profile.updated': { userId: string };
  /** Two users are no longer connected (removed by either side, or a block). */
  'connection.removed': { a: string; b: string };
  /** Someone scanned `toUserId`'s QR code: a pending connection request. */
  'connection.requested': { requestId: string; fromUserId: string; toUserId: string };
  /** `toUserId` accepted `fromUserId`'s request (the notification goes to `fromUserId`). */
  'connection.accepted': { requestId: string; fromUserId: string; toUserId: string };
  /** A chat message was stored (first time only, never on an idempotent retry). */
  'message.created': {
    messageId: string;
    chatId: string;
    seq: number;
    senderId: string;
    recipientId: string;
    type: string;
    text: string | null;
    createdAt: string;
  };
  /** A call started ringing on the callee's devices (push: VoIP/high priority when none is connected). */
  'call.incoming': { callId: string; callerId: string; calleeId: string; kind: 'audio' | 'video'; expiresAt: string };
  /** A call rang out unanswered (ring timeout); the callee gets a missed-call notification. */
  'call.missed': { callId: string; callerId: string; calleeId: string; kind: 'audio' | 'video'; at: string };
  /** Someone replied to (or reacted to) `authorId`'s status; it landed in their 1-1 chat as `messageId`. */
  'status.replied': {
    statusId: string;
    authorId: string;
    replierId: string;
    chatId: string;
    messageId: string;
    kind: 'reply' | 'reaction';
    text: string | null;
  };
  /** A media item reached its final state in the worker (ready or failed). */
  'media.processed': { mediaId: string; ownerId: string; status: 'ready' | 'failed' };
}

export type DomainEventName = keyof DomainEvents;
