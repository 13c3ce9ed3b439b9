import { describe, expect, it } from 'vitest';
import { isSignedOnlyKey, signObjectKey, verifyObjectSignature } from './signed-url.js';

const key = 'media/665f1c2b9a1e4d3f2a1b0c01/665f1c2b9a1e4d3f2a1b0c99-main.jpg';

function parts(query: string): { expires: string; signature: string } {
  const q = new URLSearchParams(query);
  return { expires: q.get('expires')!, signature: q.get('signature')! };
}

describe('signed object URLs', () => {
  it('verify for their key until they expire', () => {
    const { expires, signature } = parts(signObjectKey('secret', key, 1000));
    expect(verifyObjectSignature('secret', key, expires, signature, 999)).toBe(true);
    expect(verifyObjectSignature('secret', key, expires, signature, 1000)).toBe(false);
  });

  it('refuse another key, another secret, a moved expiry or garbage', () => {
    const { expires, signature } = parts(signObjectKey('secret', key, 1000));
    expect(verifyObjectSignature('secret', key.replace('main', 'original'), expires, signature, 1)).toBe(false);
    expect(verifyObjectSignature('other', key, expires, signature, 1)).toBe(false);
    expect(verifyObjectSignature('secret', key, '2000', signature, 1)).toBe(false);
    expect(verifyObjectSignature('secret', key, ['1000'], signature, 1)).toBe(false);
    expect(verifyObjectSignature('secret', key, expires, undefined, 1)).toBe(false);
  });

  it('keep media keys off the public route and avatars on it', () => {
    expect(isSignedOnlyKey(key)).toBe(true);
    expect(isSignedOnlyKey('avatars/665f1c2b9a1e4d3f2a1b0c01/Qk3vX1o2b9cA8dLm4nP0rw.jpg')).toBe(false);
  });
});
