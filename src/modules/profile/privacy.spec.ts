import { describe, expect, it } from 'vitest';
import { mayView, withDefaults } from './privacy.js';

const stranger = { self: false, contact: false, blocked: false };
const contact = { self: false, contact: true, blocked: false };

describe('profile privacy', () => {
  it('lets each audience through as named', () => {
    expect([mayView('everyone', stranger), mayView('contacts', stranger), mayView('nobody', stranger)]).toEqual([true, false, false]);
    expect([mayView('everyone', contact), mayView('contacts', contact), mayView('nobody', contact)]).toEqual([true, true, false]);
  });

  it('always shows owners their own profile and hides everything across a block', () => {
    expect(mayView('nobody', { self: true, contact: false, blocked: false })).toBe(true);
    expect(mayView('everyone', { self: false, contact: false, blocked: true })).toBe(false);
  });

  it('fills settings never chosen with the defaults', () => {
    expect(withDefaults(null)).toEqual({ lastSeen: 'everyone', photo: 'everyone', about: 'everyone' });
    expect(withDefaults({ photo: 'nobody' })).toEqual({ lastSeen: 'everyone', photo: 'nobody', about: 'everyone' });
  });
});
