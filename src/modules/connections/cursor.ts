import { HttpStatus } from '@nestjs/common';
import { AppError } from '@app/common';

/** Position after the last row of a page: rows are ordered by (createdAt, id), newest first. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `<epoch ms>:<id>`. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.getTime()}:${c.id}`).toString('base64url');
}

export function decodeCursor(raw: string | undefined): Cursor | null {
  if (raw === undefined || raw === '') return null;
  const match = /^(\d{1,15}):([0-9a-f]{24})$/.exec(Buffer.from(raw, 'base64url').toString());
  if (!match) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_cursor', 'cursor is not one this API returned');
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

/** Fetch one row more than asked: its presence says whether there is a next page. */
export function pageOf<T>(rows: T[], limit: number, key: (row: T) => Cursor): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
