import { HttpStatus } from '@nestjs/common';
import { AppError } from '@app/common';

/**
 * How far behind "now" a sync cursor starts: `updatedAt` is stamped by whichever api process wrote
 * it, before the write lands, so a change stamped just before a sync may become readable just after
 * it (or come from a process whose clock is a little behind). The overlap is read again next time;
 * the versions already returned in it are remembered in the cursor so nothing comes back twice.
 */
export const SYNC_OVERLAP_MS = 5000;

export interface SyncCursor {
  /** Changes stamped after this instant (ms) are new... */
  after: number;
  /** ...except these versions (userId -> updatedAt ms), already returned. */
  seen: Record<string, number>;
}

export function encodeSyncCursor(cursor: SyncCursor): string {
  return Buffer.from(JSON.stringify({ a: cursor.after, s: cursor.seen })).toString('base64url');
}

export function decodeSyncCursor(value: string): SyncCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const { a, s } = (parsed ?? {}) as { a?: unknown; s?: unknown };
  if (typeof a !== 'number' || !Number.isFinite(a) || typeof s !== 'object' || s === null || Array.isArray(s)) throw invalidCursor();
  const seen: Record<string, number> = {};
  for (const [id, at] of Object.entries(s)) {
    if (!/^[0-9a-f]{24}$/.test(id) || typeof at !== 'number') throw invalidCursor();
    seen[id] = at;
  }
  return { after: a, seen };
}

function invalidCursor(): AppError {
  return new AppError(HttpStatus.BAD_REQUEST, 'invalid_cursor', 'since is not a cursor this API returned');
}
