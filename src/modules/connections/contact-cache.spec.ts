import { describe, expect, it } from 'vitest';
import { ContactCache } from './contact-cache.js';

const A = 'a'.repeat(24);
const B = 'b'.repeat(24);
const C = 'c'.repeat(24);

/** A cache with a hand-moved clock and a database stand-in that counts its reads. */
function setup(ttlMs = 1000, maxPairs = 10) {
  let now = 0;
  const cache = new ContactCache(ttlMs, maxPairs, () => now);
  cache.live = true;
  const answers = new Map<string, boolean>();
  let reads = 0;
  const ask = (a: string, b: string) =>
    cache.get(a, b, () => {
      reads += 1;
      return Promise.resolve(answers.get([a, b].sort().join()) ?? false);
    });
  const set = (a: string, b: string, allowed: boolean) => answers.set([a, b].sort().join(), allowed);
  return { cache, ask, set, reads: () => reads, tick: (ms: number) => (now += ms) };
}

describe('ContactCache', () => {
  it('answers a pair from memory, either way round, until its TTL', async () => {
    const t = setup(1000);
    t.set(A, B, true);
    expect(await t.ask(A, B)).toBe(true);
    expect(await t.ask(B, A)).toBe(true);
    expect(t.reads()).toBe(1);
    t.set(A, B, false);
    t.tick(999);
    expect(await t.ask(A, B)).toBe(true);
    t.tick(1);
    expect(await t.ask(A, B)).toBe(false); // the TTL bounds staleness even with no invalidation at all
    expect(t.reads()).toBe(2);
  });

  it('an invalidated pair is read again; other pairs are kept', async () => {
    const t = setup();
    t.set(A, B, true);
    t.set(A, C, true);
    await t.ask(A, B);
    await t.ask(A, C);
    t.set(A, B, false);
    t.cache.invalidatePair(B, A);
    expect(await t.ask(A, B)).toBe(false);
    expect(await t.ask(A, C)).toBe(true);
    expect(t.reads()).toBe(3);
  });

  it('a deleted user takes every pair of theirs with them', async () => {
    const t = setup();
    for (const [x, y] of [
      [A, B],
      [A, C],
      [B, C],
    ])
      await t.ask(x, y);
    t.cache.invalidateUser(A);
    expect(t.cache.size).toBe(1);
  });

  it('a lookup that was reading when its pair changed answers its caller but is not kept', async () => {
    const t = setup();
    let release!: (v: boolean) => void;
    const slow = t.cache.get(A, B, () => new Promise<boolean>((r) => (release = r)));
    expect(t.cache.get(A, B, () => Promise.resolve(false))).toBe(slow); // concurrent lookups share one read
    t.cache.invalidatePair(A, B); // a block landed while the read was out
    release(true);
    expect(await slow).toBe(true);
    t.set(A, B, false);
    expect(await t.ask(A, B)).toBe(false);
  });

  it('holds at most maxPairs entries, dropping the oldest', async () => {
    const t = setup(10_000, 3);
    const ids = Array.from({ length: 5 }, (_, i) => String(i).padStart(24, '0'));
    for (const id of ids) await t.ask(A, id);
    expect(t.cache.size).toBe(3);
    const before = t.reads();
    await t.ask(A, ids[4]);
    expect(t.reads()).toBe(before);
    await t.ask(A, ids[0]);
    expect(t.reads()).toBe(before + 1);
  });

  it('caches nothing while the invalidation channel is down, and starts empty when it is back', async () => {
    const t = setup();
    t.cache.live = false;
    await t.ask(A, B);
    await t.ask(A, B);
    expect(t.reads()).toBe(2);
    expect(t.cache.size).toBe(0);
    t.cache.live = true;
    await t.ask(A, B);
    t.cache.clear();
    expect(t.cache.size).toBe(0);
  });
});
