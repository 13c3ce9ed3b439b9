import { describe, expect, it } from 'vitest';
import { chatIdFor, messageIdFor } from '@app/common';
import { decodeChatCursor, encodeChatCursor, isReactionEmoji, isUnread, nextMarker, normaliseText, withinWindow } from './chat-rules.js';

const A = '665f1c2b9a1e4d3f2a1b0c9a';
const B = '665f1c2b9a1e4d3f2a1b0c9b';

describe('normaliseText', () => {
  it('trims and accepts 1-4096 characters', () => {
    expect(normaliseText('  hi  ')).toBe('hi');
    expect(normaliseText('x'.repeat(4096))).toHaveLength(4096);
  });
  it('refuses blank and over-long text, counting code points', () => {
    expect(normaliseText('   \n\t ')).toBeNull();
    expect(normaliseText('x'.repeat(4097))).toBeNull();
    expect(normaliseText('😀'.repeat(4096))).not.toBeNull(); // 8192 UTF-16 units, 4096 characters
    expect(normaliseText(` ${'x'.repeat(4096)} `)).not.toBeNull(); // length counted after trimming
  });
});

describe('isUnread (the exact unread rule)', () => {
  const msg = (over: Partial<{ senderId: string; seq: number; deletedForEveryone: boolean; hiddenFor: Record<string, boolean> }>) => ({
    senderId: B,
    seq: 5,
    deletedForEveryone: false,
    hiddenFor: {},
    ...over,
  });
  const markers = { seen: 3, cleared: 0 };

  it("counts the other party's message above my seen marker", () => {
    expect(isUnread(msg({}), A, markers)).toBe(true);
  });
  it('never counts my own messages', () => {
    expect(isUnread(msg({ senderId: A }), A, markers)).toBe(false);
  });
  it('not at or below the seen marker, nor at or below the cleared marker', () => {
    expect(isUnread(msg({ seq: 3 }), A, markers)).toBe(false);
    expect(isUnread(msg({ seq: 5 }), A, { seen: 0, cleared: 5 })).toBe(false);
    expect(isUnread(msg({ seq: 6 }), A, { seen: 0, cleared: 5 })).toBe(true);
  });
  it('not when deleted for everyone or deleted for me (but deleted for the sender only still counts)', () => {
    expect(isUnread(msg({ deletedForEveryone: true }), A, markers)).toBe(false);
    expect(isUnread(msg({ hiddenFor: { [A]: true } }), A, markers)).toBe(false);
    expect(isUnread(msg({ hiddenFor: { [B]: true } }), A, markers)).toBe(true);
  });
});

describe('nextMarker', () => {
  it('moves forward, never back, never past the last seq', () => {
    expect(nextMarker(3, 7, 10)).toBe(7);
    expect(nextMarker(7, 3, 10)).toBe(7);
    expect(nextMarker(3, 99, 10)).toBe(10);
    expect(nextMarker(0, 0, 0)).toBe(0);
  });
});

describe('withinWindow', () => {
  it('is inclusive of the window and false after it', () => {
    const sent = new Date('2025-01-01T10:00:00Z');
    expect(withinWindow(sent, 900_000, new Date('2025-01-01T10:15:00Z'))).toBe(true);
    expect(withinWindow(sent, 900_000, new Date('2025-01-01T10:15:00.001Z'))).toBe(false);
  });
});

describe('isReactionEmoji', () => {
  it.each(['👍', '❤️', '👍🏽', '🇫🇷', '👨‍👩‍👧', '1️⃣'])('accepts %s', (e) => expect(isReactionEmoji(e)).toBe(true));
  it.each(['', 'a', 'ok', '1', '👍 ', '<script>', '👍'.repeat(20)])('refuses %j', (e) => expect(isReactionEmoji(e)).toBe(false));
});

describe('chat cursor', () => {
  it('round-trips and refuses anything else', () => {
    const c = { at: 1_736_942_400_000, id: A };
    expect(decodeChatCursor(encodeChatCursor(c))).toEqual(c);
    expect(decodeChatCursor('garbage')).toBeNull();
    expect(decodeChatCursor(Buffer.from('1:{"$gt":1}').toString('base64url'))).toBeNull();
  });
});

describe('derived ids', () => {
  it('one chat id per pair, whoever asks, shaped like an ObjectId', () => {
    expect(chatIdFor(A, B)).toBe(chatIdFor(B, A));
    expect(chatIdFor(A, B)).toBe(chatIdFor(A.toUpperCase(), B));
    expect(chatIdFor(A, B)).toMatch(/^[0-9a-f]{24}$/);
    expect(chatIdFor(A, B)).not.toBe(chatIdFor(A, A));
  });
  it('one message id per (sender, clientMessageId)', () => {
    expect(messageIdFor(A, 'c1')).toBe(messageIdFor(A, 'c1'));
    expect(messageIdFor(A, 'c1')).not.toBe(messageIdFor(B, 'c1'));
    expect(messageIdFor(A, 'c1')).not.toBe(messageIdFor(A, 'c2'));
    expect(messageIdFor(A, 'c1')).toMatch(/^[0-9a-f]{24}$/);
  });
});
