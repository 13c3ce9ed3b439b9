import { describe, expect, it } from 'vitest';
import { extensionOf, isObjectKey, newObjectKey } from './object-key.js';

describe('object keys', () => {
  it('are generated, unique and keep only the given extension', () => {
    const a = newObjectKey('avatars/665f1c2b9a1e4d3f2a1b0c9d', 'webp');
    const b = newObjectKey('avatars/665f1c2b9a1e4d3f2a1b0c9d', 'webp');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^avatars\/665f1c2b9a1e4d3f2a1b0c9d\/[A-Za-z0-9_-]{22}\.webp$/);
    expect(extensionOf(a)).toBe('webp');
  });

  it('refuses anything that could name another path', () => {
    for (const bad of ['../etc/passwd', 'avatars/../../x.png', '/abs/x.png', 'avatars/a b.png', 'avatars/x', 'a//b.png']) {
      expect(isObjectKey(bad)).toBe(false);
    }
    expect(() => newObjectKey('../up', 'png')).toThrow();
    expect(() => newObjectKey('avatars', 'p/ng')).toThrow();
  });
});
