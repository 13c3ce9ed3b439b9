import { describe, expect, it } from 'vitest';
import { type FeedAuthor, orderFeed, resolveAudience, showsView } from './status-rules.js';

describe('resolveAudience', () => {
  const contacts = ['a', 'b', 'c'];

  it('contacts: every connection', () => {
    expect(resolveAudience(contacts, { mode: 'contacts', userIds: ['x'] })).toEqual(['a', 'b', 'c']);
  });

  it('contacts_except: the connections not on the list', () => {
    expect(resolveAudience(contacts, { mode: 'contacts_except', userIds: ['b', 'x'] })).toEqual(['a', 'c']);
  });

  it('only: the listed connections, never a listed stranger', () => {
    expect(resolveAudience(contacts, { mode: 'only', userIds: ['c', 'x'] })).toEqual(['c']);
    expect(resolveAudience(contacts, { mode: 'only', userIds: [] })).toEqual([]);
  });
});

describe('orderFeed', () => {
  const author = (authorId: string, at: number, hasUnseen: boolean, muted = false): FeedAuthor<never> => ({
    authorId,
    muted,
    hasUnseen,
    latestAt: new Date(at),
    statuses: [],
  });

  it('puts unseen first, then seen, muted last; newest first within a group', () => {
    const ordered = orderFeed([author('seen', 5, false), author('muted', 9, true, true), author('old', 1, true), author('new', 3, true)]);
    expect(ordered.map((a) => a.authorId)).toEqual(['new', 'old', 'seen', 'muted']);
  });
});

describe('showsView', () => {
  it('is reciprocal', () => {
    expect(showsView(true, true)).toBe(true);
    expect(showsView(true, false)).toBe(false);
    expect(showsView(false, true)).toBe(false);
  });
});
