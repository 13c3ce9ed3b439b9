import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiUnauthorized, ParseObjectIdPipe } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { BAD_REQUEST } from './api-errors.js';
import { StatusPrivacyPatchDto } from './dto/requests.dto.js';
import { StatusPrivacyDto } from './dto/responses.dto.js';
import { type StatusPrivacy, StatusSettingsService } from './status-settings.service.js';

/** Declared before StatusController so `/statuses/privacy` and `/statuses/mutes` never reach `/statuses/:id`. */
@ApiTags('statuses')
@ApiUnauthorized()
@ApiBadRequestResponse(BAD_REQUEST)
@Controller('statuses')
export class StatusSettingsController {
  constructor(private readonly settings: StatusSettingsService) {}

  @Get('privacy')
  @ApiOperation({ summary: 'My default status audience and read receipts' })
  @ApiOkResponse({ type: StatusPrivacyDto })
  privacy(@CurrentUser() user: AuthUser): Promise<StatusPrivacy> {
    return this.settings.privacy(user.userId);
  }

  @Patch('privacy')
  @ApiOperation({
    summary: 'Change my default status audience and/or read receipts',
    description: 'Applies to statuses posted from now on: statuses already posted keep the audience they were posted to.',
  })
  @ApiOkResponse({ type: StatusPrivacyDto })
  updatePrivacy(@CurrentUser() user: AuthUser, @Body() dto: StatusPrivacyPatchDto): Promise<StatusPrivacy> {
    return this.settings.updatePrivacy(user.userId, dto);
  }

  @Put('mutes/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Mute a connection's statuses", description: 'They come last in my feed and raise no live events.' })
  @ApiParam({ name: 'userId', example: '665f1c2b9a1e4d3f2a1b0c9d' })
  @ApiNoContentResponse({ description: 'Muted (idempotent)' })
  async mute(@CurrentUser() user: AuthUser, @Param('userId', ParseObjectIdPipe) userId: string): Promise<void> {
    await this.settings.mute(user.userId, userId, true);
  }

  @Delete('mutes/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Unmute a connection's statuses" })
  @ApiParam({ name: 'userId', example: '665f1c2b9a1e4d3f2a1b0c9d' })
  @ApiNoContentResponse({ description: 'Unmuted (idempotent)' })
  async unmute(@CurrentUser() user: AuthUser, @Param('userId', ParseObjectIdPipe) userId: string): Promise<void> {
    await this.settings.mute(user.userId, userId, false);
  }
}
