import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { iceServersFor, turnCredentials } from './turn-credentials.js';

describe('TURN REST credentials', () => {
  const secret = 'north-pole-secret-0123';

  it('username is "<expiry>:<opaque>" and the password base64(HMAC-SHA1(secret, username))', () => {
    const { username, credential } = turnCredentials(secret, '665f1c2b9a1e4d3f2a1b0c9d', 3600, 1_700_000_000_000);
    expect(username).toMatch(/^1700003600:[A-Za-z0-9_-]{16}$/);
    expect(credential).toBe(createHmac('sha1', secret).update(username).digest('base64'));
    expect(username).not.toContain('665f1c2b9a1e4d3f2a1b0c9d');
  });

  it('is stable per user and differs between users', () => {
    const opaque = (id: string): string => turnCredentials(secret, id, 60, 0).username.split(':')[1];
    expect(opaque('a')).toBe(opaque('a'));
    expect(opaque('a')).not.toBe(opaque('b'));
  });

  it('lists STUN alone without a secret, TURN with credentials when configured', () => {
    expect(iceServersFor({ secret: null, urls: [], stunUrls: ['stun:s:3478'], ttlSeconds: 60 }, 'u')).toEqual({
      iceServers: [{ urls: ['stun:s:3478'] }],
      ttl: 60,
    });
    const both = iceServersFor({ secret, urls: ['turn:t:3478'], stunUrls: [], ttlSeconds: 60 }, 'u');
    expect(both.iceServers).toEqual([{ urls: ['turn:t:3478'], username: expect.any(String), credential: expect.any(String) }]);
  });
});
