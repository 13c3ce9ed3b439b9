import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from '@app/common';

/** The 429 every REST budget answers: Retry-After header plus `retryAfterSeconds` in the body. */
export function tooManyRequests(res: Response, retryAfterSeconds: number, scope: 'user' | 'ip'): AppError {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  return new AppError(
    HttpStatus.TOO_MANY_REQUESTS,
    'rate_limited',
    scope === 'user' ? 'Too many requests to this route; slow down' : 'Too many requests from this address; slow down',
    { retryAfterSeconds },
  );
}
