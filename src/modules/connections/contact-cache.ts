/**
 * The per-process answers of "may these two interact" (connected, neither blocking), keyed by the
 * unordered pair. Chat asks it on every send, typing event and receipt, so the database is asked once
 * per pair and TTL instead of three `_id` lookups per event.
 *
 * Staleness is bounded three ways: every change that can flip an answer invalidates the pair in every
 * process (ContactInvalidations, Redis pub/sub); an answer lives at most `ttlMs` in case a message is
 * lost; and while the subscription is down (`live` false) nothing is cached at all. A lookup that was
 * already reading the database when its pair was invalidated answers its own caller but is not
 * stored: its answer may predate the change.
 */
export class ContactCache {
  private readonly entries = new Map<string, { allowed: boolean; expiresAt: number }>();
  /** Lookups reading the database now, one per pair; `stale` is set when the pair changed meanwhile. */
  private readonly loading = new Map<string, { answer: Promise<boolean>; stale: boolean }>();
  /** False until the invalidation channel is subscribed, and whenever it is down. */
  live = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxPairs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached answer, else `load()`'s (concurrent lookups of one pair share one load). */
  get(a: string, b: string, load: () => Promise<boolean>): Promise<boolean> {
    if (!this.live || this.ttlMs === 0) return load();
    const key = pairKey(a, b);
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return Promise.resolve(hit.allowed);
    if (hit) this.entries.delete(key);
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight.answer;
    const flight = { answer: load(), stale: false };
    this.loading.set(key, flight);
    flight.answer.then(
      (allowed) => {
        if (this.loading.get(key) === flight) this.loading.delete(key);
        if (!flight.stale && this.live) this.store(key, allowed);
      },
      () => {
        if (this.loading.get(key) === flight) this.loading.delete(key);
      },
    );
    return flight.answer;
  }

  /** The pair's answer may have changed (connected, removed, blocked, unblocked). */
  invalidatePair(a: string, b: string): void {
    const key = pairKey(a, b);
    this.entries.delete(key);
    this.markStale(key);
  }

  /** Every pair the user is part of (account deletion): a scan, rare enough not to need an index. */
  invalidateUser(userId: string): void {
    for (const key of this.entries.keys()) if (hasUser(key, userId)) this.entries.delete(key);
    for (const key of [...this.loading.keys()]) if (hasUser(key, userId)) this.markStale(key);
  }

  /** Everything: the invalidation channel reconnected (messages may have been missed meanwhile). */
  clear(): void {
    this.entries.clear();
    for (const key of [...this.loading.keys()]) this.markStale(key);
  }

  private markStale(key: string): void {
    const flight = this.loading.get(key);
    if (!flight) return;
    flight.stale = true;
    this.loading.delete(key);
  }

  /** Map order is insertion order: when full, the oldest entry goes (refreshed entries move to the end). */
  private store(key: string, allowed: boolean): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxPairs) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { allowed, expiresAt: this.now() + this.ttlMs });
  }
}

/** The unordered pair: canInteract(a, b) and canInteract(b, a) are one answer. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

function hasUser(key: string, userId: string): boolean {
  return key.startsWith(`${userId}:`) || key.endsWith(`:${userId}`);
}
