export type { NotificationKind, NotificationPayload, NotificationsServerEvents } from './events/notifications.events.js';

/**
 * Every server-to-client Socket.IO event and its payload: the one typed map services emit through
 * (RealtimeEmitter). docs/asyncapi.yaml describes each; features add their events here.
 */
import type { AuthServerEvents } from './events/auth.events.js';
import type { CallServerEvents } from './events/calls.events.js';
import type { NotificationsServerEvents } from './events/notifications.events.js';
import type { QrServerEvents } from './events/qr.events.js';
import type { StatusServerEvents } from './events/status.events.js';

export interface ServerEvents extends AuthServerEvents, CallServerEvents, NotificationsServerEvents, QrServerEvents, StatusServerEvents {
  /** A client event that failed and had no ack callback to answer through (also: flooding before a cut-off). */
  error: { event: string; code: string; message: string; fields?: Record<string, string[]>; retryAfterSeconds?: number };
  /** A connection's online state or last seen changed (only to their connections, privacy applied). */
  'presence:update': { userId: string; online: boolean; lastSeen: string | null };
  /** Someone scanned the receiver's QR code: a pending request to accept or reject (to both parties). */
  'connection:request': ConnectionRequestPayload;
  /** A request was accepted: the two are now connected (to both; `userId` is the other party). */
  'connection:accepted': { requestId: string; userId: string; connectedAt: string };
  /** The receiver rejected the request (to the sender and the receiver's other devices; `userId` is the other party). */
  'connection:rejected': { requestId: string; userId: string };
  /** The connection is gone (removed or blocked by either side; to both; `userId` is the other party). */
  'connection:removed': { userId: string };
  /** A connection changed their name, about, avatar or privacy: their profile as this viewer may now see it. */
  'profile:update': { userId: string; profile: PublicProfilePayload };
  /** A new message: to every device of the recipient and of the sender (clients dedupe by `id`). */
  'chat:receive': ChatMessagePayload;
  /** The sender's message is durably stored (same message as the ack): to every device of the sender. */
  'chat:sent': ChatMessagePayload;
  /** The other participant is typing or stopped (stops by itself after a few seconds without renewal). */
  'chat:typing': { chatId: string; userId: string; typing: boolean };
  /** `userId`'s devices received every message of the chat up to `upToSeq` (to both participants). */
  'message:delivered': ChatMarkerPayload;
  /** `userId` has seen every message of the chat up to `upToSeq` (to both participants). */
  'message:seen': ChatMarkerPayload;
  /** A message was edited, deleted (for everyone; `hidden`: for me, to my devices only) or reacted to. */
  'message:updated': { chatId: string; kind: 'edited' | 'deleted' | 'hidden' | 'reaction'; message: ChatMessagePayload };
}

export type ServerEventName = keyof ServerEvents;

/** A chat message as REST and socket events show it. Deleted for everyone: `deleted`, text null. */
/** A file carried by a message (the media module stores the bytes; this is its reference). */
export interface AttachmentPayload {
  mediaId: string | null;
  url: string;
  mimeType: string;
  sizeBytes: number;
  name: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
}

/** A finished call as its chat message shows it. */
export interface ChatCallPayload {
  callId: string;
  kind: 'audio' | 'video';
  outcome: 'answered' | 'missed' | 'rejected' | 'busy' | 'cancelled' | 'failed';
  durationMs: number;
}

/** The status a message replies or reacts to. `available` is false once the status expired ("status unavailable"). */
export interface ChatStatusRefPayload {
  id: string;
  authorId: string;
  kind: 'text' | 'image' | 'video';
  text: string | null;
  /** Short-lived signed URL of the status thumbnail; null for text statuses and once unavailable. */
  thumbnailUrl: string | null;
  available: boolean;
}

export type ChatMessageType = 'text' | 'image' | 'video' | 'audio' | 'file' | 'call';

export interface ChatMessagePayload {
  id: string;
  chatId: string;
  seq: number;
  senderId: string;
  clientMessageId: string;
  type: ChatMessageType;
  text: string | null;
  attachments: AttachmentPayload[];
  /** Call messages only (`type: 'call'`), else null. */
  call: ChatCallPayload | null;
  /** A reply or reaction to a status, else null. */
  statusRef: ChatStatusRefPayload | null;
  /** The message answered, as it is now (a deleted one shows `deleted: true`, text null). */
  replyTo: { id: string; seq: number; senderId: string; type: string; text: string | null; deleted: boolean } | null;
  /** userId -> emoji. */
  reactions: Record<string, string>;
  editedAt: string | null;
  deleted: boolean;
  createdAt: string;
}

export interface ChatMarkerPayload {
  chatId: string;
  userId: string;
  upToSeq: number;
}

/** Another user's profile as the viewer may see it: fields hidden by privacy (or unset) are absent. */
export interface PublicProfilePayload {
  userId: string;
  name: string | null;
  about?: string;
  avatarUrl?: string;
  avatarThumbUrl?: string;
}

/** A connection request as REST returns it (GET /connections/requests). */
export interface ConnectionRequestPayload {
  id: string;
  fromUserId: string;
  toUserId: string;
  status: 'pending' | 'accepted' | 'rejected' | 'cancelled';
  createdAt: string;
  expiresAt: string;
}
