import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { MAX_TEXT_LENGTH, isReactionEmoji, normaliseText } from '../chat-rules.js';

/** Message text: trimmed, then 1-4096 characters (validated and documented in one place). */
export function IsMessageText(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    ValidateBy({
      name: 'isMessageText',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && normaliseText(value) !== null,
        defaultMessage: () => `$property must be 1-${MAX_TEXT_LENGTH} characters after trimming`,
      },
    }),
    ApiProperty({
      description: `1-${MAX_TEXT_LENGTH} characters after trimming`,
      example: 'See you at 8?',
      minLength: 1,
      maxLength: MAX_TEXT_LENGTH,
    }),
  );
}

/** The client's id of a send, the idempotency key: a retry with the same value is stored once. */
export function IsClientMessageId(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    Matches(/^[A-Za-z0-9_:-]{1,64}$/, { message: '$property must be 1-64 characters of A-Z a-z 0-9 _ : -' }),
    ApiProperty({
      description: 'Client-generated id of this send (e.g. a UUID); retries reuse it and get the original message back',
      example: '4f6c1d2e-8a7b-4c3d-9e0f-1a2b3c4d5e6f',
    }),
  );
}

/** A seq (message position in its chat): a non-negative integer. */
export function IsSeq(description: string, optional = false): PropertyDecorator {
  const doc = { description, example: 42, minimum: 0, type: Number };
  return applyDecorators(
    ...(optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    Type(() => Number),
    IsInt(),
    Min(0),
    Max(Number.MAX_SAFE_INTEGER),
  );
}

export function IsPageLimit(max: number, def: number): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
    ApiPropertyOptional({
      description: `Page size, at most ${max} (default ${def})`,
      example: def,
      minimum: 1,
      maximum: max,
      type: Number,
    }),
  );
}

export function IsReactionEmoji(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    ValidateBy({
      name: 'isReactionEmoji',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isReactionEmoji(v),
        defaultMessage: () => '$property must be one emoji',
      },
    }),
    ApiProperty({ description: 'One emoji', example: '👍' }),
  );
}
