import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { dependencyFailure } from './dependency-errors.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  requestId?: string;
  code?: string;
  [extra: string]: unknown;
}

// Fields of an HttpException response that may reach the client besides message/error/code.
const PASSED_THROUGH = new Set(['fields', 'details', 'attemptsLeft', 'retryAfterSeconds']);

/** Maps anything thrown to the one public error shape; unknown errors become a generic 500. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    const body: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: exception.message };
    if (typeof response === 'string') {
      body.message = response;
    } else if (response && typeof response === 'object') {
      const r = response as Record<string, unknown>;
      if (typeof r.message === 'string' || Array.isArray(r.message)) body.message = r.message as string | string[];
      if (typeof r.code === 'string') body.code = r.code;
      for (const key of PASSED_THROUGH) if (r[key] !== undefined) body[key] = r[key];
    }
    return body;
  }
  const outage = dependencyFailure(exception);
  if (outage)
    return {
      statusCode: outage.statusCode,
      error: STATUS_CODES[outage.statusCode]!,
      message: outage.message,
      code: outage.code,
      retryAfterSeconds: outage.retryAfterSeconds,
    };
  const parserError = bodyParserError(exception);
  if (parserError) return parserError;
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    error: 'Internal Server Error',
    message: 'Internal server error',
  };
}

/** body-parser errors (malformed JSON, too large) carry `type` and `status`; name them plainly. */
function bodyParserError(exception: unknown): ErrorBody | null {
  if (!exception || typeof exception !== 'object') return null;
  const e = exception as { type?: unknown; status?: unknown };
  if (typeof e.type !== 'string' || typeof e.status !== 'number') return null;
  const messages: Record<string, string> = {
    'entity.parse.failed': 'Malformed JSON in request body',
    'entity.too.large': 'Request body is too large',
    'encoding.unsupported': 'Unsupported request body encoding',
    'charset.unsupported': 'Unsupported request body charset',
  };
  const statusCode = e.status >= 400 && e.status < 500 ? e.status : HttpStatus.BAD_REQUEST;
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Bad Request',
    message: messages[e.type] ?? 'Invalid request body',
    code: e.type.replace(/\./g, '_'),
  };
}
