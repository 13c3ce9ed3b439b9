import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ParseObjectIdPipe } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { BAD_REQUEST, CHAT_NOT_FOUND, MESSAGE_NOT_FOUND, NOT_CONNECTED } from './api-errors.js';
import { ApiUnauthorized } from '@app/common';
import { DeleteMessageQueryDto, EditMessageDto, HistoryQueryDto, ReactionDto, SendMessageDto } from './dto/requests.dto.js';
import { MessageDto, MessagePageDto } from './dto/responses.dto.js';
import type { MessageView } from './message-view.js';
import { MessageEditor } from './message-editor.service.js';
import { type MessagePage, MessageReader } from './message-reader.service.js';
import { MessageSender } from './message-sender.service.js';

const CHAT_ID = { name: 'id', example: '665f1c2b9a1e4d3f2a1b0c9d', description: 'Chat id' };
const MESSAGE_ID = { name: 'messageId', example: '665f1c2b9a1e4d3f2a1b0c9e', description: 'Message id' };
const FORBIDDEN = {
  description: '`not_connected`; `not_sender`; `edit_window_passed` / `delete_window_passed`',
  schema: { example: { statusCode: 403, error: 'Forbidden', code: 'not_sender', message: 'Only the sender can do this' } },
};
const DELETED = {
  description: 'The message was deleted for everyone',
  schema: { example: { statusCode: 409, error: 'Conflict', code: 'message_deleted', message: 'The message was deleted for everyone' } },
};

@ApiTags('chats')
@ApiUnauthorized()
@ApiBadRequestResponse(BAD_REQUEST)
@Controller('chats/:id/messages')
export class MessagesController {
  constructor(
    private readonly sender: MessageSender,
    private readonly reader: MessageReader,
    private readonly editor: MessageEditor,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Send a text message',
    description:
      'Idempotent on clientMessageId: a retry returns the original message (same id and seq) with 200. Answered only once stored; ' +
      'the peer gets `chat:receive`, my devices `chat:sent`.',
  })
  @ApiParam(CHAT_ID)
  @ApiCreatedResponse({ type: MessageDto, description: 'Stored' })
  @ApiOkResponse({ type: MessageDto, description: 'A retry: the original message' })
  @ApiNotFoundResponse(CHAT_NOT_FOUND)
  @ApiForbiddenResponse(NOT_CONNECTED)
  @ApiConflictResponse({
    description: 'clientMessageId already used in another chat',
    schema: {
      example: {
        statusCode: 409,
        error: 'Conflict',
        code: 'client_message_id_reused',
        message: 'This clientMessageId was already used for another chat',
      },
    },
  })
  async send(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) chatId: string,
    @Body() dto: SendMessageDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MessageView> {
    const { message, created } = await this.sender.send(user.userId, { chatId }, { ...dto, replyTo: dto.replyTo?.toLowerCase() });
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return message;
  }

  @Get()
  @ApiOperation({
    summary: 'A page of messages by seq',
    description: 'Default: the newest page. `before`: older; `after`: newer (oldest first).',
  })
  @ApiParam(CHAT_ID)
  @ApiOkResponse({ type: MessagePageDto })
  @ApiNotFoundResponse(CHAT_NOT_FOUND)
  @ApiForbiddenResponse(NOT_CONNECTED)
  history(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) chatId: string,
    @Query() q: HistoryQueryDto,
  ): Promise<MessagePage> {
    return this.reader.history(user.userId, chatId, q);
  }

  @Patch(':messageId')
  @ApiOperation({
    summary: 'Edit my message (within the edit window, 15 minutes by default)',
    description: 'The peer gets `message:updated`.',
  })
  @ApiParam(CHAT_ID)
  @ApiParam(MESSAGE_ID)
  @ApiOkResponse({ type: MessageDto })
  @ApiNotFoundResponse(MESSAGE_NOT_FOUND)
  @ApiForbiddenResponse(FORBIDDEN)
  @ApiConflictResponse(DELETED)
  edit(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) chatId: string,
    @Param('messageId', ParseObjectIdPipe) messageId: string,
    @Body() dto: EditMessageDto,
  ): Promise<MessageView> {
    return this.editor.edit(user.userId, chatId, messageId, dto.text);
  }

  @Delete(':messageId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a message for me, or for everyone',
    description: '`for=everyone`: the sender only, within the delete window; a tombstone keeps its seq and replies show it as deleted.',
  })
  @ApiParam(CHAT_ID)
  @ApiParam(MESSAGE_ID)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse(MESSAGE_NOT_FOUND)
  @ApiForbiddenResponse(FORBIDDEN)
  async remove(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) chatId: string,
    @Param('messageId', ParseObjectIdPipe) messageId: string,
    @Query() q: DeleteMessageQueryDto,
  ): Promise<void> {
    await this.editor.remove(user.userId, chatId, messageId, q.for ?? 'me');
  }

  @Put(':messageId/reaction')
  @ApiOperation({ summary: 'React to a message (one reaction per user: replaces mine)', description: 'The peer gets `message:updated`.' })
  @ApiParam(CHAT_ID)
  @ApiParam(MESSAGE_ID)
  @ApiOkResponse({ type: MessageDto })
  @ApiNotFoundResponse(MESSAGE_NOT_FOUND)
  @ApiForbiddenResponse(NOT_CONNECTED)
  @ApiConflictResponse(DELETED)
  react(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) chatId: string,
    @Param('messageId', ParseObjectIdPipe) messageId: string,
    @Body() dto: ReactionDto,
  ): Promise<MessageView> {
    return this.editor.react(user.userId, chatId, messageId, dto.emoji);
  }

  @Delete(':messageId/reaction')
  @ApiOperation({ summary: 'Remove my reaction' })
  @ApiParam(CHAT_ID)
  @ApiParam(MESSAGE_ID)
  @ApiOkResponse({ type: MessageDto })
  @ApiNotFoundResponse(MESSAGE_NOT_FOUND)
  @ApiForbiddenResponse(NOT_CONNECTED)
  @ApiConflictResponse(DELETED)
  unreact(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) chatId: string,
    @Param('messageId', ParseObjectIdPipe) messageId: string,
  ): Promise<MessageView> {
    return this.editor.react(user.userId, chatId, messageId, null);
  }
}
