import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/index.js';
import type { ChatRepository, MarkerWrite } from './chat.repository.js';
import { MarkerFlusher } from './marker-flusher.js';
import type { MarkerStore } from './marker-store.js';

const CHAT = 'c'.repeat(24);
const OTHER = 'd'.repeat(24);
const U = 'a'.repeat(24);

function setup(fail = false) {
  const batches: MarkerWrite[][] = [];
  const noted: MarkerWrite[][] = [];
  const repo = {
    advanceMarkers: (writes: MarkerWrite[]) => {
      batches.push(writes.map(({ chatId, userId, delivered, seen }) => ({ chatId, userId, delivered, seen })));
      return fail ? Promise.reject(new Error('db down')) : Promise.resolve();
    },
  } as unknown as ChatRepository;
  const store = { noteStored: (w: MarkerWrite[]) => (noted.push(w), Promise.resolve()) } as unknown as MarkerStore;
  const config = { chat: { markerFlushMs: 5 } } as unknown as AppConfig;
  return { flusher: new MarkerFlusher(repo, store, config), batches, noted };
}

describe('MarkerFlusher', () => {
  it('a burst of receipts for one chat and user is one write of the highest values; other chats join the same bulkWrite', async () => {
    const { flusher, batches, noted } = setup();
    await Promise.all([
      flusher.write(CHAT, U, 'delivered', 3),
      flusher.write(CHAT, U, 'delivered', 5),
      flusher.write(CHAT, U, 'delivered', 4),
      flusher.write(CHAT, U, 'seen', 2),
      flusher.write(OTHER, U, 'seen', 7),
    ]);
    expect(batches).toEqual([
      [
        { chatId: CHAT, userId: U, delivered: 5, seen: 2 },
        { chatId: OTHER, userId: U, delivered: 0, seen: 7 },
      ],
    ]);
    expect(noted).toHaveLength(1);
  });

  it('a failed write fails the receipts waiting on it', async () => {
    const { flusher, noted } = setup(true);
    await expect(flusher.write(CHAT, U, 'seen', 1)).rejects.toThrow('db down');
    expect(noted).toEqual([]);
  });

  it('shutdown writes what is pending at once, and anything after it without waiting', async () => {
    const { flusher, batches } = setup();
    const pending = flusher.write(CHAT, U, 'seen', 1);
    await flusher.beforeApplicationShutdown();
    await pending;
    expect(batches).toHaveLength(1);
    await flusher.write(CHAT, U, 'seen', 2);
    expect(batches).toHaveLength(2);
  });
});
