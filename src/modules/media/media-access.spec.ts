import { describe, expect, it } from 'vitest';
import { messageMediaRef, statusMediaRef, chatIdFor } from '@app/common';
import { mayViewMedia } from './media-access.js';

const owner = '665f1c2b9a1e4d3f2a1b0c01';
const peer = '665f1c2b9a1e4d3f2a1b0c02';
const stranger = '665f1c2b9a1e4d3f2a1b0c03';
const messageId = '665f1c2b9a1e4d3f2a1b0c99';

describe('mayViewMedia', () => {
  it('lets the owner see their media, referenced or not', () => {
    expect(mayViewMedia({ ownerId: owner, refs: [] }, owner)).toBe(true);
  });

  it('lets the other participant of a chat the media was attached in see it, and nobody else', () => {
    const media = { ownerId: owner, refs: [messageMediaRef(chatIdFor(owner, peer), messageId)] };
    expect(mayViewMedia(media, peer)).toBe(true);
    expect(mayViewMedia(media, stranger)).toBe(false);
  });

  it('grants nothing through a status ref or an unattached upload', () => {
    expect(mayViewMedia({ ownerId: owner, refs: [statusMediaRef(messageId)] }, peer)).toBe(false);
    expect(mayViewMedia({ ownerId: owner, refs: [] }, peer)).toBe(false);
  });

  it('does not let a stranger in through a chat of the owner with someone else', () => {
    const media = { ownerId: owner, refs: [messageMediaRef(chatIdFor(owner, stranger), messageId)] };
    expect(mayViewMedia(media, peer)).toBe(false);
  });
});
