import { describe, expect, it } from 'vitest';
import { decodeLogCursor, durationOf, encodeLogCursor, roleOf, winsGlare } from './call-rules.js';

describe('call rules', () => {
  it('glare: exactly one of the two crossing calls survives, the one whose caller id is smaller', () => {
    const [x, y] = ['665f1c2b9a1e4d3f2a1b0c9d', '665f1c2b9a1e4d3f2a1b0c9e'];
    expect(winsGlare(x, y)).toBe(true);
    expect(winsGlare(y, x)).toBe(false);
  });

  it('roles: caller, callee, or nobody', () => {
    const call = { callerId: 'a', calleeId: 'b' };
    expect([roleOf(call, 'a'), roleOf(call, 'b'), roleOf(call, 'c')]).toEqual(['caller', 'callee', null]);
  });

  it('duration counts from the answer, 0 for unanswered calls', () => {
    expect(durationOf({ answeredAt: new Date(1000) }, new Date(4500))).toBe(3500);
    expect(durationOf({ answeredAt: null }, new Date(4500))).toBe(0);
  });

  it('log cursors round-trip and foreign ones are refused', () => {
    const c = { createdAt: new Date(1_700_000_000_000), id: '665f1c2b9a1e4d3f2a1b0c9d' };
    expect(decodeLogCursor(encodeLogCursor(c))).toEqual(c);
    expect(decodeLogCursor(undefined)).toBeNull();
    expect(() => decodeLogCursor('bogus')).toThrow(/cursor/);
  });
});
