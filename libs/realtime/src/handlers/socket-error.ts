import { HttpException, HttpStatus } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { dependencyFailure } from '@app/common';

/** The `error` of a failed ack: `{ ok: false, error: SocketErrorBody }`. */
export interface SocketErrorBody {
  code: string;
  message: string;
  /** Validation failures: the offending payload fields and what is wrong with each. */
  fields?: Record<string, string[]>;
  /** Rate limits: when the client may try again. */
  retryAfterSeconds?: number;
}

/** What every socket handler answers through its ack callback. */
export type SocketAck<T = unknown> = { ok: true; data: T } | { ok: false; error: SocketErrorBody };

// Stable codes for Nest's own exceptions, which carry no `code` of their own.
const STATUS_CODES: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.CONFLICT]: 'conflict',
  [HttpStatus.GONE]: 'gone',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'unprocessable',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
};

export const INTERNAL_ERROR: SocketErrorBody = { code: 'internal', message: 'Internal server error' };

/**
 * Maps anything a socket handler threw to the public error body. `internal` is true for errors the
 * client must not see the details of (they are logged by the caller instead).
 */
export function toSocketError(exception: unknown): { body: SocketErrorBody; internal: boolean } {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 500) return { body: INTERNAL_ERROR, internal: true };
    const response = exception.getResponse();
    const r: Record<string, unknown> = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const body: SocketErrorBody = {
      code: typeof r.code === 'string' ? r.code : (STATUS_CODES[status] ?? 'bad_request'),
      message: messageOf(r.message, exception.message),
    };
    if (isFields(r.fields)) {
      body.fields = r.fields;
      body.message = 'Invalid payload';
    }
    if (typeof r.retryAfterSeconds === 'number') body.retryAfterSeconds = r.retryAfterSeconds;
    return { body, internal: false };
  }
  if (exception instanceof WsException) {
    const error = exception.getError();
    if (typeof error === 'object' && error !== null) {
      const e = error as Record<string, unknown>;
      return {
        body: { code: typeof e.code === 'string' ? e.code : 'bad_request', message: messageOf(e.message, exception.message) },
        internal: false,
      };
    }
    // Nest's guards refuse with WsException('Forbidden resource').
    const code = exception.message === 'Forbidden resource' ? 'forbidden' : 'bad_request';
    return { body: { code, message: exception.message }, internal: false };
  }
  const outage = dependencyFailure(exception);
  // Not internal: the client must know the send was not stored and may retry (same clientMessageId).
  if (outage) return { body: { code: outage.code, message: outage.message, retryAfterSeconds: outage.retryAfterSeconds }, internal: false };
  return { body: INTERNAL_ERROR, internal: true };
}

function messageOf(value: unknown, fallback: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join('; ');
  return fallback;
}

function isFields(value: unknown): value is Record<string, string[]> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => Array.isArray(v));
}
