import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiUnauthorized } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import {
  ListNotificationsQueryDto,
  NotificationPageDto,
  PreferencesDto,
  ReadNotificationsDto,
  ReadResultDto,
  UnreadCountDto,
  UpdatePreferencesDto,
} from './dto/notifications.dto.js';
import { NotificationsService } from './notifications.service.js';
import { PreferencesService } from './preferences.service.js';

const VALIDATION: [number, string, string] = [400, 'validation_failed', 'ids: each value in ids must be a 24-character hex id'];

@ApiTags('notifications')
@ApiUnauthorized()
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly preferences: PreferencesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'My notifications, newest first (cursor paginated)',
    description: 'Connection requests, accepted requests, missed calls and status replies. New ones also arrive as `notification:new`.',
  })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiErrors([400, 'invalid_cursor', 'cursor is not one this server issued'], VALIDATION)
  list(@CurrentUser() user: AuthUser, @Query() q: ListNotificationsQueryDto): Promise<NotificationPageDto> {
    return this.notifications.list(user.userId, q);
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'Exact number of unread notifications', description: 'Changes also arrive as `notification:count`.' })
  @ApiOkResponse({ type: UnreadCountDto })
  async unreadCount(@CurrentUser() user: AuthUser): Promise<UnreadCountDto> {
    return { unread: await this.notifications.unreadCount(user.userId) };
  }

  @Post('read')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Mark notifications read: `{ ids }` or `{ all: true }`',
    description: 'Every device gets `notification:count`.',
  })
  @ApiOkResponse({ type: ReadResultDto })
  @ApiErrors(VALIDATION)
  read(@CurrentUser() user: AuthUser, @Body() dto: ReadNotificationsDto): Promise<ReadResultDto> {
    return this.notifications.markRead(user.userId, dto);
  }

  @Get('preferences')
  @ApiOperation({ summary: 'My notification preferences' })
  @ApiOkResponse({ type: PreferencesDto })
  getPreferences(@CurrentUser() user: AuthUser): Promise<PreferencesDto> {
    return this.preferences.get(user.userId);
  }

  @Patch('preferences')
  @ApiOperation({
    summary: 'Change notification preferences',
    description:
      'muteAllChats: no push for chat messages; previews: false pushes "New message" without the text; quietHours: no push inside the daily window.',
  })
  @ApiOkResponse({ type: PreferencesDto })
  @ApiErrors([400, 'validation_failed', 'timeZone must be an IANA time zone'])
  updatePreferences(@CurrentUser() user: AuthUser, @Body() dto: UpdatePreferencesDto): Promise<PreferencesDto> {
    return this.preferences.update(user.userId, dto);
  }
}
