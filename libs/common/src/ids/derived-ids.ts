import { createHash } from 'node:crypto';

/** 24 hex characters (an ObjectId's shape) from a hash: 96 bits, collisions are not a concern. */
function hashId(input: string): string {
  return createHash('sha256').update(input).digest('hex').slice(0, 24);
}

/**
 * The chat of two users has one id (derived, so other modules such as media can tell a chat's
 * participants from its id without asking chat), whoever asks and whichever process: `POST /chats`, a send by
 * `peerId` and the chat list find it by `_id` (fast on FerretDB) and can never create two.
 */
export function chatIdFor(a: string, b: string): string {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()].sort();
  return hashId(`chat:${x}:${y}`);
}

/**
 * A message's id follows from (sender, clientMessageId): a retried send finds its original by `_id`
 * before allocating a seq, so a retry burns no seq (no gap) in the common case.
 */
export function messageIdFor(senderId: string, clientMessageId: string): string {
  return hashId(`msg:${senderId.toLowerCase()}:${clientMessageId}`);
}
