import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { IsObjectIdField } from '@app/common';
import { IsClientMessageId, IsReactionEmoji, IsReplyText } from './fields.js';
import { MAX_AUDIENCE_LIST, MAX_CAPTION, MAX_STATUS_TEXT, STATUS_FONTS } from '../status-rules.js';

const MODES = ['contacts', 'contacts_except', 'only'] as const;
const OBJECT_ID = /^[0-9a-f]{24}$/i;
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class AudienceDto {
  @IsIn(MODES)
  @ApiProperty({ enum: MODES, description: 'contacts: all my connections; contacts_except: all but userIds; only: just userIds' })
  mode!: (typeof MODES)[number];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_AUDIENCE_LIST)
  @Matches(OBJECT_ID, { each: true, message: 'each value in $property must be a 24-character hex id' })
  @ApiPropertyOptional({
    type: [String],
    description: 'The except-list or the only-list (ignored for contacts)',
    maxItems: MAX_AUDIENCE_LIST,
  })
  userIds?: string[];
}

export class PostStatusDto {
  @IsIn(['text', 'image', 'video'])
  @ApiProperty({ enum: ['text', 'image', 'video'] })
  kind!: 'text' | 'image' | 'video';

  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, MAX_STATUS_TEXT)
  @ApiPropertyOptional({ description: `Text statuses: 1-${MAX_STATUS_TEXT} characters`, example: 'At the beach' })
  text?: string;

  @IsOptional()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: '$property must be a colour #RRGGBB' })
  @ApiPropertyOptional({ description: 'Text statuses: background colour', example: '#25D366' })
  background?: string;

  @IsOptional()
  @IsIn(STATUS_FONTS)
  @ApiPropertyOptional({ enum: STATUS_FONTS, description: 'Text statuses: font' })
  font?: string;

  @IsOptional()
  @IsObjectIdField('Photo/video statuses: an uploaded media item of mine (it reaches the audience once processed)')
  mediaId?: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, MAX_CAPTION)
  @ApiPropertyOptional({ description: `Photo/video statuses: 1-${MAX_CAPTION} characters` })
  caption?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => AudienceDto)
  @ApiPropertyOptional({ type: AudienceDto, description: 'Overrides my default status privacy for this status only' })
  audience?: AudienceDto;
}

export class StatusPrivacyPatchDto {
  @IsOptional()
  @IsIn(MODES)
  @ApiPropertyOptional({ enum: MODES })
  mode?: (typeof MODES)[number];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_AUDIENCE_LIST)
  @Matches(OBJECT_ID, { each: true, message: 'each value in $property must be a 24-character hex id' })
  @ApiPropertyOptional({ type: [String], description: 'Replaces the except-list / only-list', maxItems: MAX_AUDIENCE_LIST })
  userIds?: string[];

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'Reciprocal: off, I do not see who viewed my statuses and my views are not shown to others' })
  readReceipts?: boolean;
}

export class ReplyDto {
  @IsClientMessageId()
  clientMessageId!: string;

  @IsReplyText()
  text!: string;
}

export class ReactionDto {
  @IsReactionEmoji()
  emoji!: string;
}

/** status:view (socket). */
export class SocketViewDto {
  @IsObjectIdField('The status viewed')
  statusId!: string;
}
