import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, ValidateBy } from 'class-validator';

// Same limits as a chat message (replies become one); kept here because modules import no one's internals.
const MAX_REPLY = 4096;
const EMOJI = /^(?:[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Component}]|\u200d|\ufe0f|\u20e3)+$/u;
const HAS_PICTOGRAPH = /[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]/u;

export const isReactionEmoji = (v: unknown): boolean =>
  typeof v === 'string' && v.length >= 1 && v.length <= 32 && EMOJI.test(v) && HAS_PICTOGRAPH.test(v);

export function IsClientMessageId(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    Matches(/^[A-Za-z0-9_:-]{1,64}$/, { message: '$property must be 1-64 characters of A-Z a-z 0-9 _ : -' }),
    ApiProperty({ description: 'Client-generated id of this reply; a retry with it returns the original message', example: 'r-4f6c1d2e' }),
  );
}

/** Reply text: trimmed, then 1-4096 characters (code points). */
export function IsReplyText(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    ValidateBy({
      name: 'isReplyText',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && [...v].length >= 1 && [...v].length <= MAX_REPLY,
        defaultMessage: () => `$property must be 1-${MAX_REPLY} characters after trimming`,
      },
    }),
    ApiProperty({ description: `1-${MAX_REPLY} characters after trimming`, example: 'Looks great!', minLength: 1, maxLength: MAX_REPLY }),
  );
}

export function IsReactionEmoji(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    ValidateBy({ name: 'isReactionEmoji', validator: { validate: isReactionEmoji, defaultMessage: () => '$property must be one emoji' } }),
    ApiProperty({ description: 'One emoji', example: '😍' }),
  );
}
