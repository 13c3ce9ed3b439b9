import { HttpStatus } from '@nestjs/common';
import { AppError } from '@app/common';
import type { CallRole } from './calls.jobs.js';
import type { CallRecord } from './schemas/call.schema.js';

/** Which side of the call `userId` is on; null for anyone else. */
export function roleOf(call: Pick<CallRecord, 'callerId' | 'calleeId'>, userId: string): CallRole | null {
  if (call.callerId === userId) return 'caller';
  if (call.calleeId === userId) return 'callee';
  return null;
}

export const otherRole = (role: CallRole): CallRole => (role === 'caller' ? 'callee' : 'caller');

/** The socket field of a role on the call document. */
export const socketField = (role: CallRole): 'callerSocketId' | 'calleeSocketId' =>
  role === 'caller' ? 'callerSocketId' : 'calleeSocketId';

/**
 * Glare (both invite each other at once): the call whose caller has the lexicographically smaller user
 * id survives, whichever invite reached the server first, so both clients can predict it (as Matrix's
 * rule does with user ids). Returns true when the call by `callerId` to `calleeId` is the survivor.
 */
export function winsGlare(callerId: string, calleeId: string): boolean {
  return callerId < calleeId;
}

/** Duration of an answered call; 0 when it was never answered. */
export function durationOf(call: Pick<CallRecord, 'answeredAt'>, endedAt: Date): number {
  return call.answeredAt ? Math.max(0, endedAt.getTime() - call.answeredAt.getTime()) : 0;
}

/** Position after the last row of a call-log page: rows are ordered by (createdAt, id), newest first. */
export interface LogCursor {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `<epoch ms>:<id>`. */
export function encodeLogCursor(c: LogCursor): string {
  return Buffer.from(`${c.createdAt.getTime()}:${c.id}`).toString('base64url');
}

export function decodeLogCursor(raw: string | undefined): LogCursor | null {
  if (raw === undefined || raw === '') return null;
  const match = /^(\d{1,15}):([0-9a-f]{24})$/.exec(Buffer.from(raw, 'base64url').toString());
  if (!match) throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_cursor', 'cursor is not one this API returned');
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

/** Size of a string as sent (UTF-8 bytes): the SDP cap is on bytes, as the socket payload cap is. */
export const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');
