import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from './cursor.js';

describe('cursor', () => {
  it('round-trips a position', () => {
    const c = { createdAt: new Date('2025-01-31T10:00:00.123Z'), id: '665f1c2b9a1e4d3f2a1b0c9d' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it('treats a missing cursor as the first page and refuses a forged one', () => {
    expect(decodeCursor(undefined)).toBeNull();
    expect(() => decodeCursor(Buffer.from('1:{"$gt":""}').toString('base64url'))).toThrow(/cursor/);
    expect(() => decodeCursor('nonsense')).toThrow(/cursor/);
  });

  it('gives a next cursor only when a row beyond the page exists', () => {
    const rows = [1, 2, 3].map((n) => ({ createdAt: new Date(n), id: 'a'.repeat(23) + String(n) }));
    expect(pageOf(rows, 3, (r) => r).nextCursor).toBeNull();
    const page = pageOf(rows, 2, (r) => r);
    expect(page.items).toHaveLength(2);
    expect(decodeCursor(page.nextCursor ?? undefined)).toEqual(rows[1]);
  });
});
