import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ParseObjectIdPipe } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { BAD_REQUEST, CHAT_NOT_FOUND, NOT_CONNECTED } from './api-errors.js';
import { ApiUnauthorized } from '@app/common';
import { ChatsService, type ChatView } from './chats.service.js';
import { CreateChatDto, ListChatsQueryDto, MarkerDto } from './dto/requests.dto.js';
import { ChatDto, ChatPageDto, MarkerResultDto } from './dto/responses.dto.js';

const CHAT_ID = { name: 'id', example: '665f1c2b9a1e4d3f2a1b0c9d', description: 'Chat id' };

@ApiTags('chats')
@ApiUnauthorized()
@ApiBadRequestResponse(BAD_REQUEST)
@Controller('chats')
export class ChatsController {
  constructor(private readonly chats: ChatsService) {}

  @Get()
  @ApiOperation({
    summary: 'My chats, newest activity first',
    description: "Each with the peer's public profile and presence, the last message and the exact unread count. Cursor paginated.",
  })
  @ApiOkResponse({ type: ChatPageDto })
  list(@CurrentUser() user: AuthUser, @Query() q: ListChatsQueryDto): Promise<{ items: ChatView[]; nextCursor: string | null }> {
    return this.chats.list(user.userId, q);
  }

  @Post()
  @ApiOperation({ summary: 'Get or create the chat with a connection (idempotent)' })
  @ApiCreatedResponse({ type: ChatDto, description: 'Created' })
  @ApiOkResponse({ type: ChatDto, description: 'Already existed' })
  @ApiForbiddenResponse(NOT_CONNECTED)
  async open(@CurrentUser() user: AuthUser, @Body() dto: CreateChatDto, @Res({ passthrough: true }) res: Response): Promise<ChatView> {
    const { chat, created } = await this.chats.open(user.userId, dto.peerId.toLowerCase());
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return chat;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One chat' })
  @ApiParam(CHAT_ID)
  @ApiOkResponse({ type: ChatDto })
  @ApiNotFoundResponse(CHAT_NOT_FOUND)
  @ApiForbiddenResponse(NOT_CONNECTED)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<ChatView> {
    return this.chats.get(user.userId, id);
  }

  @Post(':id/seen')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'I have seen everything up to upToSeq', description: 'Also marks it delivered. The peer gets `message:seen`.' })
  @ApiParam(CHAT_ID)
  @ApiOkResponse({ type: MarkerResultDto })
  @ApiNotFoundResponse(CHAT_NOT_FOUND)
  @ApiForbiddenResponse(NOT_CONNECTED)
  seen(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string, @Body() dto: MarkerDto): Promise<MarkerResultDto> {
    return this.chats.mark(user.userId, id, 'seen', dto.upToSeq);
  }

  @Post(':id/delivered')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'My devices received everything up to upToSeq', description: 'The peer gets `message:delivered`.' })
  @ApiParam(CHAT_ID)
  @ApiOkResponse({ type: MarkerResultDto })
  @ApiNotFoundResponse(CHAT_NOT_FOUND)
  @ApiForbiddenResponse(NOT_CONNECTED)
  delivered(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string, @Body() dto: MarkerDto): Promise<MarkerResultDto> {
    return this.chats.mark(user.userId, id, 'delivered', dto.upToSeq);
  }
}
