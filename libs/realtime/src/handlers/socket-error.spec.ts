import { BadRequestException, ForbiddenException, HttpStatus, InternalServerErrorException } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { describe, expect, it } from 'vitest';
import { AppError } from '@app/common';
import { toSocketError } from './socket-error.js';

describe('toSocketError', () => {
  it('keeps the code and message of an AppError', () => {
    expect(toSocketError(new AppError(HttpStatus.FORBIDDEN, 'not_participant', 'You are not in this chat'))).toEqual({
      body: { code: 'not_participant', message: 'You are not in this chat' },
      internal: false,
    });
  });

  it('passes a retry hint through', () => {
    const { body } = toSocketError(new AppError(HttpStatus.TOO_MANY_REQUESTS, 'rate_limited', 'Slow down', { retryAfterSeconds: 3 }));
    expect(body).toEqual({ code: 'rate_limited', message: 'Slow down', retryAfterSeconds: 3 });
  });

  it('names validation failures with their fields', () => {
    const err = new BadRequestException({ code: 'validation_failed', message: ['chatId: bad'], fields: { chatId: ['bad'] } });
    expect(toSocketError(err).body).toEqual({ code: 'validation_failed', message: 'Invalid payload', fields: { chatId: ['bad'] } });
  });

  it('gives Nest exceptions a stable code from their status', () => {
    expect(toSocketError(new ForbiddenException()).body.code).toBe('forbidden');
    expect(toSocketError(new WsException('Forbidden resource')).body.code).toBe('forbidden');
    expect(toSocketError(new WsException({ code: 'x_y', message: 'm' })).body).toEqual({ code: 'x_y', message: 'm' });
  });

  it('never leaks an unexpected error or a 5xx', () => {
    expect(toSocketError(new Error('mongodb://secret@host down'))).toEqual({
      body: { code: 'internal', message: 'Internal server error' },
      internal: true,
    });
    expect(toSocketError(new InternalServerErrorException('pool exhausted')).body.message).toBe('Internal server error');
  });
});
