import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
// Tabs, newlines, NUL, escape sequences...: they break every list a name is shown in.
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const NO_CONTROL_MESSAGE = { message: '$property must not contain control characters' };

/** Only these two fields may be written; anything else (role, ids, identifiers, timestamps) is a 400. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ description: 'Display name, trimmed; 1-64 characters', minLength: 1, maxLength: 64, example: 'Ada Lovelace' })
  @ValidateIf((o: UpdateProfileDto) => o.name !== undefined)
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  @Matches(NO_CONTROL, NO_CONTROL_MESSAGE)
  name?: string;

  @ApiPropertyOptional({
    description: 'Status line, trimmed; up to 140 characters, "" clears it',
    maxLength: 140,
    example: 'Hey there! I am using Messaging',
  })
  @ValidateIf((o: UpdateProfileDto) => o.about !== undefined)
  @Transform(trim)
  @IsString()
  @MaxLength(140)
  @Matches(NO_CONTROL, NO_CONTROL_MESSAGE)
  about?: string;
}
