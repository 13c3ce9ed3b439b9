import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiObjectIdParam, ParseObjectIdPipe } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { ApiError, ApiUnauthorized } from '@app/common';
import { SessionDto } from './dto/session.dto.js';
import { SessionsService } from './sessions/sessions.service.js';

@ApiTags('auth')
@ApiUnauthorized()
@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: "The signed-in user's live sessions (devices), newest first" })
  @ApiOkResponse({ type: SessionDto, isArray: true })
  list(@CurrentUser() user: AuthUser): Promise<SessionDto[]> {
    return this.sessions.list(user.userId, user.sessionId);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke one of your sessions: its tokens stop working and its sockets drop at once' })
  @ApiObjectIdParam('id')
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiError(404, 'Not a live session of yours', [['session_not_found', 'No such live session']])
  async revoke(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    await this.sessions.revokeOwn(user.userId, id);
  }
}
