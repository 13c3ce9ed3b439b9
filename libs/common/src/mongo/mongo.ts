import type { Collection, Document } from 'mongodb';
import { Types } from 'mongoose';

/** MongoDB and FerretDB both report a unique-index violation as error code 11000 (E11000). */
export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}

/** A new id, generated where documents are assigned theirs before they are stored. */
export const newObjectId = (): Types.ObjectId => new Types.ObjectId();

/** A validated 24-hex id as the ObjectId stored in `_id` and reference fields. */
export const oid = (id: string): Types.ObjectId => new Types.ObjectId(id);

/**
 * What a repository answers for a write guarded by a unique index: stored, or refused because the
 * document it would duplicate exists (`of`: what the caller needs to know about that one, or null when
 * it was gone again by the time the repository looked). Services branch on it; only repositories see E11000.
 */
export type Stored<T = void, Of = string> = { stored: true; value: T } | { stored: false; of: Of | null };

/** Runs `write`; a duplicate-key refusal becomes `{ stored: false, of: await duplicateOf() }`. */
export async function storeOnce<T, Of = string>(write: () => Promise<T>, duplicateOf: () => Promise<Of | null>): Promise<Stored<T, Of>> {
  try {
    return { stored: true, value: await write() };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return { stored: false, of: await duplicateOf() };
  }
}

/**
 * The model's native collection typed with the documents it stores (Mongoose types it loosely), for
 * the hot paths that skip hydration: inserts and findOneAndUpdate results need no casts.
 */
export function nativeCollection<TSchema extends Document>(model: { collection: unknown }): Collection<TSchema> {
  return model.collection as Collection<TSchema>;
}
