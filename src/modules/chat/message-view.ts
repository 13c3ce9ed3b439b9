import type { ChatMessagePayload, ChatStatusRefPayload } from '@app/realtime';
import type { MessageRecord, StoredStatusRef } from './schemas/message.schema.js';

export type MessageView = ChatMessagePayload;

/** What rendering needs beyond the message itself, looked up once for a whole page. */
export interface RenderContext {
  /** The messages answered by the ones being rendered, by id. */
  replies?: ReadonlyMap<string, MessageRecord>;
  /** Signed thumbnail URLs of quoted statuses, by media id (absent: none). */
  statusThumbnails?: ReadonlyMap<string, string | null>;
  now?: Date;
}

/** What a reply shows of the message it answers, as that message is now. */
export function replyPreview(target: MessageRecord | undefined, id: string): NonNullable<MessageView['replyTo']> {
  if (!target) return { id, seq: 0, senderId: '', type: 'text', text: null, deleted: true };
  return {
    id,
    seq: target.seq,
    senderId: target.senderId.toHexString(),
    type: target.type,
    text: target.deletedForEveryone ? null : target.text,
    deleted: target.deletedForEveryone,
  };
}

/**
 * A quoted status: once it expired it is "status unavailable" (`available: false`) and its thumbnail
 * is no longer signed (the status media may already be gone); the quoted text stays with the message.
 */
export function statusRefView(ref: StoredStatusRef, thumbnails: ReadonlyMap<string, string | null>, now: Date): ChatStatusRefPayload {
  const available = ref.expiresAt.getTime() > now.getTime();
  return {
    id: ref.id,
    authorId: ref.authorId,
    kind: ref.kind,
    text: ref.text,
    thumbnailUrl: available && ref.thumbnailMediaId ? (thumbnails.get(ref.thumbnailMediaId) ?? null) : null,
    available,
  };
}

/** The public shape of a message (ids as strings, no `_id`/`__v`, no per-user hidden map). */
export function toMessageView(m: MessageRecord, ctx: RenderContext = {}): MessageView {
  const replyId = m.replyTo?.toHexString() ?? null;
  const gone = m.deletedForEveryone;
  return {
    id: m._id.toHexString(),
    chatId: m.chatId.toHexString(),
    seq: m.seq,
    senderId: m.senderId.toHexString(),
    clientMessageId: m.clientMessageId,
    type: m.type,
    text: gone ? null : m.text,
    attachments: gone ? [] : m.attachments,
    call: m.call && !gone ? { ...m.call } : null,
    statusRef: m.statusRef && !gone ? statusRefView(m.statusRef, ctx.statusThumbnails ?? new Map(), ctx.now ?? new Date()) : null,
    replyTo: replyId ? replyPreview(ctx.replies?.get(replyId), replyId) : null,
    reactions: gone ? {} : { ...(m.reactions ?? {}) },
    editedAt: m.editedAt ? m.editedAt.toISOString() : null,
    deleted: gone,
    createdAt: m.createdAt.toISOString(),
  };
}
