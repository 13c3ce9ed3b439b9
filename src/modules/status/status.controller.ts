import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiUnauthorized, ParseObjectIdPipe, type PostedMessage } from '@app/common';
import type { StatusMediaPayload, StatusPayload } from '@app/realtime';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { BAD_REQUEST, STATUS_NOT_FOUND, UNAVAILABLE } from './api-errors.js';
import { PostStatusDto, ReactionDto, ReplyDto } from './dto/requests.dto.js';
import { FeedDto, MyStatusDto, OwnStatusDto, PostedMessageDto, StatusDto, StatusMediaDto, ViewResultDto } from './dto/responses.dto.js';
import { StatusRepliesService } from './status-replies.service.js';
import { type FeedPayload, type OwnStatusPayload, StatusService } from './status.service.js';
import { type MyStatusPayload, StatusViewsService, type ViewResult } from './status-views.service.js';

const STATUS_ID = { name: 'id', example: '665f1c2b9a1e4d3f2a1b0c9d', description: 'Status id' };

@ApiTags('statuses')
@ApiUnauthorized()
@ApiBadRequestResponse(BAD_REQUEST)
@Controller('statuses')
export class StatusController {
  constructor(
    private readonly statuses: StatusService,
    private readonly views: StatusViewsService,
    private readonly replies: StatusRepliesService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Post a status',
    description:
      'Shared with the connections my privacy (or `audience`) selects now; later privacy changes do not affect it. ' +
      'Text statuses reach the audience at once (`status:new`); photo/video ones once their media is processed. ' +
      'Visible for STATUS_TTL_SECONDS.',
  })
  @ApiCreatedResponse({ type: OwnStatusDto })
  @ApiServiceUnavailableResponse(UNAVAILABLE)
  post(@CurrentUser() user: AuthUser, @Body() dto: PostStatusDto): Promise<OwnStatusPayload> {
    const audience = dto.audience
      ? { mode: dto.audience.mode, userIds: (dto.audience.userIds ?? []).map((id) => id.toLowerCase()) }
      : undefined;
    return this.statuses.post(user.userId, { ...dto, mediaId: dto.mediaId?.toLowerCase(), audience });
  }

  @Get()
  @ApiOperation({
    summary: 'The status feed',
    description: "My live statuses, then connections' statuses visible to me grouped by author (unseen first, muted last).",
  })
  @ApiOkResponse({ type: FeedDto })
  feed(@CurrentUser() user: AuthUser): Promise<FeedPayload> {
    return this.statuses.feed(user.userId);
  }

  @Get('mine')
  @ApiOperation({
    summary: 'My live statuses with their viewers',
    description: 'Viewers and times show only when both I and the viewer have read receipts on (reciprocal).',
  })
  @ApiOkResponse({ type: [MyStatusDto] })
  mine(@CurrentUser() user: AuthUser): Promise<MyStatusPayload[]> {
    return this.views.mine(user.userId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One status (mine, or one shared with me)' })
  @ApiParam(STATUS_ID)
  @ApiOkResponse({ type: StatusDto })
  @ApiNotFoundResponse(STATUS_NOT_FOUND)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<StatusPayload> {
    return this.statuses.byId(user.userId, id);
  }

  @Get(':id/media')
  @ApiOperation({ summary: "Fresh signed URLs of a status's photo or video", description: 'Only for its author and audience.' })
  @ApiParam(STATUS_ID)
  @ApiOkResponse({ type: StatusMediaDto })
  @ApiNotFoundResponse(STATUS_NOT_FOUND)
  media(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<StatusMediaPayload> {
    return this.statuses.mediaOf(user.userId, id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End my status early', description: 'Its views and media go with it; the audience gets `status:deleted`.' })
  @ApiParam(STATUS_ID)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse(STATUS_NOT_FOUND)
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    await this.statuses.remove(user.userId, id);
  }

  @Post(':id/view')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'I viewed this status',
    description: 'Idempotent: one view per viewer, the first time kept. The author gets `status:viewed` (both read receipts on).',
  })
  @ApiParam(STATUS_ID)
  @ApiOkResponse({ type: ViewResultDto })
  @ApiNotFoundResponse(STATUS_NOT_FOUND)
  view(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<ViewResult> {
    return this.views.view(user.userId, id);
  }

  @Post(':id/reply')
  @ApiOperation({
    summary: 'Reply to a status in the 1-1 chat with its author',
    description:
      'A chat message quoting the status (`statusRef`), on the delivery contract: a retry with the same clientMessageId gets 200 and the original.',
  })
  @ApiParam(STATUS_ID)
  @ApiCreatedResponse({ type: PostedMessageDto, description: 'Sent' })
  @ApiOkResponse({ type: PostedMessageDto, description: 'A retry: the original message' })
  @ApiNotFoundResponse(STATUS_NOT_FOUND)
  @ApiServiceUnavailableResponse(UNAVAILABLE)
  async reply(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: ReplyDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PostedMessage> {
    const posted = await this.replies.reply(user.userId, id, dto.clientMessageId, dto.text);
    res.status(posted.created ? HttpStatus.CREATED : HttpStatus.OK);
    return posted;
  }

  @Put(':id/reaction')
  @ApiOperation({
    summary: 'React to a status with an emoji',
    description: 'A chat message with the emoji quoting the status; one per status and viewer (a repeat returns the first).',
  })
  @ApiParam(STATUS_ID)
  @ApiOkResponse({ type: PostedMessageDto })
  @ApiNotFoundResponse(STATUS_NOT_FOUND)
  @ApiServiceUnavailableResponse(UNAVAILABLE)
  react(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string, @Body() dto: ReactionDto): Promise<PostedMessage> {
    return this.replies.react(user.userId, id, dto.emoji);
  }
}
