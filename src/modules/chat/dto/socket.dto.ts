import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, ValidateBy } from 'class-validator';
import { IsObjectIdField, isObjectId } from '@app/common';
import { DEFAULT_PAGE, MAX_PAGE, MAX_TEXT_LENGTH } from '../chat-rules.js';
import { IsAttachmentIds, IsClientMessageId, IsMessageText, IsPageLimit, IsSeq } from './fields.js';

/** chat:send: by `chatId`, or by `peerId` before a chat exists (exactly one of them). */
export class SocketSendDto {
  @IsOptional()
  @IsObjectIdField('The chat (or give peerId)')
  chatId?: string;

  @IsOptional()
  @IsObjectIdField('The other participant, when the client has no chat id yet')
  peerId?: string;

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

/** Client message:delivered / message:seen. */
export class SocketMarkerDto {
  @IsObjectIdField('The chat')
  chatId!: string;

  @IsSeq('Every message up to this seq')
  upToSeq!: number;
}

export class SocketHistoryDto {
  @IsObjectIdField('The chat')
  chatId!: string;

  @IsSeq('Only messages with a smaller seq (default: the newest page)', true)
  beforeSeq?: number;

  @IsPageLimit(MAX_PAGE, DEFAULT_PAGE)
  limit?: number;
}

const MAX_CURSORS = 1000;

/** `{ <chatId>: lastSeq }` with ObjectId keys and non-negative integer values. */
function isCursorMap(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length <= MAX_CURSORS && entries.every(([k, v]) => isObjectId(k) && Number.isSafeInteger(v) && (v as number) >= 0);
}

export class SocketSyncDto {
  @IsOptional()
  @ValidateBy({
    name: 'isCursorMap',
    validator: {
      validate: isCursorMap,
      defaultMessage: () => `$property must map up to ${MAX_CURSORS} chat ids to the last seq held (integer >= 0)`,
    },
  })
  @ApiPropertyOptional({
    description: 'chatId -> last seq the client holds; a chat missing here counts as 0',
    example: { '665f1c2b9a1e4d3f2a1b0c9d': 41 },
  })
  cursors?: Record<string, number>;

  @IsOptional()
  @ValidateBy({
    name: 'isCursorMap',
    validator: {
      validate: isCursorMap,
      defaultMessage: () => `$property must map up to ${MAX_CURSORS} chat ids to the last change seq held (integer >= 0)`,
    },
  })
  @ApiPropertyOptional({
    description:
      'chatId -> the change cursor (`changeSeq`) the last sync answered for that chat (0 the first time): the answer then carries ' +
      'the changes (edits, deletes, reactions) to messages the client holds. A chat missing here gets no changes (older clients).',
    example: { '665f1c2b9a1e4d3f2a1b0c9d': 7 },
  })
  changeCursors?: Record<string, number>;

  @IsPageLimit(MAX_PAGE, MAX_PAGE)
  limit?: number;
}

/** chat:typing: by `chatId`, or by `peerId` before a chat exists. */
export class SocketTypingDto {
  @IsOptional()
  @IsObjectIdField('The chat (or give peerId)')
  chatId?: string;

  @IsOptional()
  @IsObjectIdField('The other participant')
  peerId?: string;

  @IsBoolean()
  @ApiProperty({ description: 'true while typing (renew every few seconds), false when stopped' })
  typing!: boolean;
}
