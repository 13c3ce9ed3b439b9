/** A finished call as its chat message shows it ("missed voice call", "video call, 3:12"). */
export interface CallMessageInfo {
  callId: string;
  kind: 'audio' | 'video';
  outcome: 'answered' | 'missed' | 'rejected' | 'busy' | 'cancelled' | 'failed';
  durationMs: number;
}

/** The status a reply or reaction quotes; kept on the message, so it still shows after the status expired. */
export interface StatusRefInfo {
  id: string;
  authorId: string;
  kind: 'text' | 'image' | 'video';
  /** The status text (text statuses) or caption; null when none. */
  text: string | null;
  /** Media id of the status's thumbnail (image/video statuses); the chat renders a signed URL for it. */
  thumbnailMediaId: string | null;
  expiresAt: string;
}

export interface PostMessageInput {
  /** Idempotency key, as for any send: a retry returns the original message. */
  clientMessageId: string;
  type: 'text' | 'call';
  /** Text, caption, or a status reaction's emoji. */
  text?: string | null;
  call?: CallMessageInfo;
  statusRef?: StatusRefInfo;
}

export interface PostedMessage {
  messageId: string;
  chatId: string;
  seq: number;
  created: boolean;
}

/**
 * How other modules (calls, status) put a message into a 1-1 chat on the delivery contract: idempotent
 * on (sender, clientMessageId), a seq, delivered to both participants' devices, counted in unread.
 * Bound globally by the chat module; abstract here so calls and status need not import chat.
 */
export abstract class ChatPoster {
  /** From `senderId` to `peerId`; the same access rules as a user's own send (connected, unblocked). */
  abstract post(senderId: string, peerId: string, input: PostMessageInput): Promise<PostedMessage>;
}
