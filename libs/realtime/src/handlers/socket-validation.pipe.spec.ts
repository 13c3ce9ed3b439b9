import { IsBoolean, IsString } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { toSocketError } from './socket-error.js';
import { SocketValidationPipe } from './socket-validation.pipe.js';

class TypingDto {
  @IsString()
  chatId!: string;

  @IsBoolean()
  typing!: boolean;
}

const payload = { type: 3 as unknown as 'body', metatype: TypingDto };
const pipe = new SocketValidationPipe();

async function failure(value: unknown): Promise<unknown> {
  try {
    await pipe.transform(value, payload);
  } catch (err) {
    return toSocketError(err).body;
  }
  throw new Error('expected a validation failure');
}

describe('SocketValidationPipe', () => {
  it('turns a valid payload into its DTO', async () => {
    await expect(pipe.transform({ chatId: 'c', typing: true }, payload)).resolves.toBeInstanceOf(TypingDto);
  });

  it('lists every offending field, unknown ones included', async () => {
    expect(await failure({ chatId: 1, typing: true, extra: 1 })).toMatchObject({
      code: 'validation_failed',
      fields: { chatId: ['chatId must be a string'], extra: ['property extra should not exist'] },
    });
  });

  it('refuses operator keys anywhere and non-object payloads', async () => {
    expect(await failure({ chatId: { $gt: '' }, typing: true })).toMatchObject({ fields: { 'chatId.$gt': expect.any(Array) } });
    expect(await failure('hello')).toMatchObject({ fields: { payload: ['must be an object'] } });
  });

  it('leaves the socket and custom params alone', async () => {
    const socket = { id: 's', nsp: {} };
    await expect(pipe.transform(socket, { type: 0 as unknown as 'body', metatype: Object })).resolves.toBe(socket);
    await expect(pipe.transform(socket, { type: 'custom', metatype: TypingDto })).resolves.toBe(socket);
  });
});
