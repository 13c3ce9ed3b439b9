import { BadRequestException, HttpStatus, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';
import { toErrorBody } from './error-body.js';

describe('toErrorBody', () => {
  it('keeps the message and code of an AppError', () => {
    expect(toErrorBody(new AppError(HttpStatus.GONE, 'qr_expired', 'This QR code has expired'))).toEqual({
      statusCode: 410,
      error: 'Gone',
      message: 'This QR code has expired',
      code: 'qr_expired',
    });
  });

  it('renders Nest exceptions in the same shape', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /nope'))).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /nope',
    });
    expect(toErrorBody(new BadRequestException({ message: ['a: bad'], fields: { a: ['bad'] } }))).toMatchObject({
      message: ['a: bad'],
      fields: { a: ['bad'] },
    });
  });

  it('never leaks an unexpected error', () => {
    const body = toErrorBody(new Error('connection string mongodb://secret@host'));
    expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
  });

  it('names body-parser failures', () => {
    expect(toErrorBody(Object.assign(new SyntaxError('x'), { type: 'entity.parse.failed', status: 400 }))).toMatchObject({
      statusCode: 400,
      message: 'Malformed JSON in request body',
      code: 'entity_parse_failed',
    });
  });
});
