import { describe, expect, it } from 'vitest';
import { toSocketError } from '@app/realtime';
import { decodeSyncCursor, encodeSyncCursor } from './sync-cursor.js';

describe('profile sync cursor', () => {
  it('round-trips the instant and the versions already returned', () => {
    const cursor = { after: 1_750_000_000_000, seen: { '665f1c2b9a1e4d3f2a1b0c9d': 1_750_000_001_234 } };
    expect(decodeSyncCursor(encodeSyncCursor(cursor))).toEqual(cursor);
  });

  it('refuses anything it did not make, with invalid_cursor', () => {
    for (const bad of [
      'nope',
      Buffer.from('{"a":"x","s":{}}').toString('base64url'),
      Buffer.from('{"a":1,"s":{"$gt":1}}').toString('base64url'),
    ]) {
      let code = '';
      try {
        decodeSyncCursor(bad);
      } catch (err) {
        code = toSocketError(err).body.code;
      }
      expect(code).toBe('invalid_cursor');
    }
  });
});
