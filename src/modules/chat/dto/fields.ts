import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { isObjectId } from '@app/common';
import { MAX_ATTACHMENTS, MAX_TEXT_LENGTH, isReactionEmoji, normaliseText } from '../chat-rules.js';

/** Message text: trimmed, then 1-4096 characters (validated and documented in one place). */
export function IsMessageText(options: { optional?: boolean; description?: string } = {}): PropertyDecorator {
  const doc = {
    description: options.description ?? `1-${MAX_TEXT_LENGTH} characters after trimming`,
    example: 'See you at 8?',
    minLength: 1,
    maxLength: MAX_TEXT_LENGTH,
  };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    ValidateBy({
      name: 'isMessageText',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && normaliseText(value) !== null,
        defaultMessage: () => `$property must be 1-${MAX_TEXT_LENGTH} characters after trimming`,
      },
    }),
  );
}

/** Media ids to send (the sender's own uploads): 1-10, distinct, each an ObjectId. */
export function IsAttachmentIds(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_ATTACHMENTS),
    ArrayUnique(),
    ValidateBy({
      name: 'isObjectIdList',
      validator: {
        validate: (v: unknown) => Array.isArray(v) && v.every((id) => typeof id === 'string' && isObjectId(id)),
        defaultMessage: () => '$property must be media ids (24-character hex)',
      },
    }),
    ApiPropertyOptional({
      description:
        `1-${MAX_ATTACHMENTS} media ids from POST /media (yours, not failed; still processing is fine). The message type follows ` +
        'from the media (photos and videos together; a voice note, audio file or document alone); `text` is then an optional caption.',
      type: [String],
      example: ['665f1c2b9a1e4d3f2a1b0c9f'],
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
