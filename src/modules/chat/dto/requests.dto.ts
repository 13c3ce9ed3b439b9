import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsObjectIdField } from '@app/common';
import { DEFAULT_PAGE, MAX_PAGE, MAX_TEXT_LENGTH } from '../chat-rules.js';
import { IsAttachmentIds, IsClientMessageId, IsMessageText, IsPageLimit, IsReactionEmoji, IsSeq } from './fields.js';

export class CreateChatDto {
  @IsObjectIdField('The other participant (must be a connection, not blocked)')
  peerId!: string;
}

export class ListChatsQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @ApiPropertyOptional({ description: 'nextCursor of the previous page', example: 'MTczNjk0MjQwMDAwMDo2NjVmMWMyYjlhMWU0ZDNmMmExYjBjOWQ' })
  cursor?: string;

  @IsPageLimit(50, 20)
  limit?: number;
}

export class SendMessageDto {
  @IsClientMessageId()
  clientMessageId!: string;

  @IsMessageText({
    optional: true,
    description: `The text (1-${MAX_TEXT_LENGTH} characters after trimming); with attachments an optional caption`,
  })
  text?: string;

  @IsAttachmentIds()
  attachments?: string[];

  @IsOptional()
  @IsObjectIdField('A message of the same chat this one answers')
  replyTo?: string;
}

export class HistoryQueryDto {
  @IsSeq('Only messages with a smaller seq (the newest page below it)', true)
  before?: number;

  @IsSeq('Only messages with a greater seq (the oldest page above it)', true)
  after?: number;

  @IsPageLimit(MAX_PAGE, DEFAULT_PAGE)
  limit?: number;
}

export class MarkerDto {
  @IsSeq('Every message up to this seq (clamped to the last seq; markers never move back)')
  upToSeq!: number;
}

export class ReactionDto {
  @IsReactionEmoji()
  emoji!: string;
}

export class EditMessageDto {
  @IsMessageText()
  text!: string;
}

export class DeleteMessageQueryDto {
  @IsOptional()
  @IsIn(['me', 'everyone'])
  @ApiPropertyOptional({ enum: ['me', 'everyone'], default: 'me', description: 'everyone: sender only, within the delete window' })
  for?: 'me' | 'everyone';
}
