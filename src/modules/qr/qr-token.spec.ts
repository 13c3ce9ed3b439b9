import { describe, expect, it } from 'vitest';
import { hashQrToken, newQrToken, qrUri } from './qr-token.js';

describe('QR tokens', () => {
  it('are at least 128 random bits, URL-safe, and differ each time', () => {
    const tokens = new Set(Array.from({ length: 100 }, newQrToken));
    expect(tokens.size).toBe(100);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(t, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
  });

  it('are stored as a SHA-256 hash, never as themselves', () => {
    const t = newQrToken();
    expect(hashQrToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashQrToken(t)).not.toContain(t);
    expect(hashQrToken(t)).toBe(hashQrToken(t));
  });

  it('are carried in a URI the app recognises', () => {
    expect(qrUri('abc')).toBe('messaging://connect?token=abc');
  });
});
