import type { ChatMessagePayload } from '@app/realtime';
import type { MessageRecord } from './schemas/message.schema.js';

export type MessageView = ChatMessagePayload;

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
 * The public shape of a message (ids as strings, no `_id`/`__v`, no per-user hidden map). `replies`
 * holds the messages answered by the ones being rendered, by id.
 */
export function toMessageView(m: MessageRecord, replies: ReadonlyMap<string, MessageRecord> = new Map()): MessageView {
  const replyId = m.replyTo?.toHexString() ?? null;
  return {
    id: m._id.toHexString(),
    chatId: m.chatId.toHexString(),
    seq: m.seq,
    senderId: m.senderId.toHexString(),
    clientMessageId: m.clientMessageId,
    type: m.type,
    text: m.deletedForEveryone ? null : m.text,
    attachments: m.deletedForEveryone ? [] : m.attachments,
    replyTo: replyId ? replyPreview(replies.get(replyId), replyId) : null,
    reactions: m.deletedForEveryone ? {} : { ...(m.reactions ?? {}) },
    editedAt: m.editedAt ? m.editedAt.toISOString() : null,
    deleted: m.deletedForEveryone,
    createdAt: m.createdAt.toISOString(),
  };
}
