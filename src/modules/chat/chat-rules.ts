/** Pure chat rules, shared by the services and the unit tests. */

export const MAX_TEXT_LENGTH = 4096;
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;

/** Text as stored: trimmed, 1-4096 characters (code points, so an emoji counts once); null if invalid. */
export function normaliseText(raw: string): string | null {
  const text = raw.trim();
  const length = [...text].length;
  return length >= 1 && length <= MAX_TEXT_LENGTH ? text : null;
}

/** The fields of a message the unread rule looks at. */
export interface UnreadCandidate {
  senderId: string;
  seq: number;
  deletedForEveryone: boolean;
  hiddenFor: Record<string, boolean>;
}

/**
 * The unread rule, exactly: a message is unread for `readerId` when the other party sent it, its seq
 * is above both the reader's seen marker and their cleared marker, it was not deleted for everyone and
 * the reader did not delete it for themselves. The unread count is the number of such messages; it is
 * computed from messages and markers every time, never kept as a counter that could drift.
 */
export function isUnread(m: UnreadCandidate, readerId: string, markers: { seen: number; cleared: number }): boolean {
  return (
    m.senderId !== readerId && m.seq > Math.max(markers.seen, markers.cleared) && !m.deletedForEveryone && m.hiddenFor[readerId] !== true
  );
}

/** A marker update: never beyond the last seq handed out, never backwards (MarkerStore's script does the same in Redis). */
export function nextMarker(current: number, requested: number, lastSeq: number): number {
  return Math.max(current, Math.min(requested, lastSeq));
}

/** Within `windowMs` of `createdAt` (edit and delete-for-everyone windows). */
export function withinWindow(createdAt: Date, windowMs: number, now: Date = new Date()): boolean {
  return now.getTime() - createdAt.getTime() <= windowMs;
}

// One emoji "cluster": pictographs, flags, keycaps, skin tones and the joiners between them.
const EMOJI = /^(?:[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Component}]|\u200d|\ufe0f|\u20e3)+$/u;
const HAS_PICTOGRAPH = /[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]/u;

/** A reaction is one emoji (a short sequence of emoji code points), nothing else. */
export function isReactionEmoji(value: string): boolean {
  return value.length >= 1 && value.length <= 32 && EMOJI.test(value) && HAS_PICTOGRAPH.test(value);
}

/** Cursor of `GET /chats`: newest activity first, ties broken by id. */
export interface ChatCursor {
  at: number;
  id: string;
}

export function encodeChatCursor(cursor: ChatCursor): string {
  return Buffer.from(`${cursor.at}:${cursor.id}`).toString('base64url');
}

/** null for anything that is not a cursor this server issued. */
export function decodeChatCursor(raw: string): ChatCursor | null {
  const match = /^(\d{1,16}):([0-9a-f]{24})$/.exec(Buffer.from(raw, 'base64url').toString());
  return match ? { at: Number(match[1]), id: match[2] } : null;
}

/**
 * The first seq above `afterSeq` missing from `storedSeqs` (ascending, every stored message in the
 * range, hidden or not), or null when none is missing up to the last one. A page must stop below it
 * while the chat has sends in flight: that seq may still be stored.
 */
export function firstGap(afterSeq: number, storedSeqs: readonly number[]): number | null {
  let expected = afterSeq + 1;
  for (const seq of storedSeqs) {
    if (seq !== expected) return expected;
    expected++;
  }
  return null;
}

/**
 * The change cursor chat:sync hands back for a chat. `latest` is the chat's change seq read before the
 * in-flight marks, so every change at or below it is either stored or still marked. No cursor sent:
 * start at `latest`. A change in flight: stay where the client is (the changes found are still sent;
 * replaying one twice is harmless, skipping one is not). A full page: up to its last change, never
 * past `latest` (a higher seq may still be in flight). Else: `latest`.
 */
export function nextChangeCursor(
  changeFrom: number | null,
  latest: number,
  page: { items: ReadonlyArray<{ changeSeq?: number }>; hasMore: boolean },
  inFlight: boolean,
): number {
  if (changeFrom === null) return latest;
  if (inFlight) return changeFrom;
  const last = page.items.at(-1)?.changeSeq;
  if (page.hasMore && last !== undefined) return Math.max(changeFrom, Math.min(last, latest));
  return Math.max(changeFrom, latest);
}

export const MAX_ATTACHMENTS = 10;

type AttachmentKind = 'image' | 'video' | 'audio' | 'voice' | 'document';

/**
 * The message type of a set of attachments, or null when they cannot go together: photos and videos
 * form an album (typed by the first), a voice note, an audio file or a document travels alone.
 */
export function attachmentMessageType(kinds: readonly AttachmentKind[]): 'image' | 'video' | 'audio' | 'file' | null {
  const [first] = kinds;
  if (first === undefined) return null;
  if (first === 'image' || first === 'video') return kinds.every((k) => k === 'image' || k === 'video') ? first : null;
  if (kinds.length > 1) return null;
  return first === 'document' ? 'file' : 'audio';
}
