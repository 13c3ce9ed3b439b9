import { describe, expect, it } from 'vitest';
import { showsLastSeen } from './presence-visibility.js';

describe('showsLastSeen', () => {
  it('shows last seen between connections unless either side hides theirs', () => {
    expect(showsLastSeen('everyone', 'contacts')).toBe(true);
    expect(showsLastSeen('contacts', 'everyone')).toBe(true);
    expect(showsLastSeen('nobody', 'everyone')).toBe(false);
    // Reciprocal: a viewer who hides their own last seen sees no one's.
    expect(showsLastSeen('everyone', 'nobody')).toBe(false);
  });

  it('treats a user without settings as the default (everyone)', () => {
    expect(showsLastSeen(undefined, undefined)).toBe(true);
  });
});
