import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiUnauthorized, ParseObjectIdPipe } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { CallLogService } from './call-log.service.js';
import { CallLogPageDto, CallLogQueryDto, IceServersDto } from './dto/call-log.dto.js';

@ApiTags('calls')
@ApiUnauthorized()
@Controller('calls')
export class CallsController {
  constructor(private readonly log: CallLogService) {}

  @Get()
  @ApiOperation({
    summary: 'My call log, newest first',
    description:
      'Finished calls (both directions) I have not deleted from my log. Cursor paginated. Signaling is on the socket (`call:*`).',
  })
  @ApiOkResponse({ type: CallLogPageDto })
  @ApiErrors(
    [400, 'invalid_cursor', 'cursor is not one this API returned'],
    [400, 'validation_failed', 'limit: limit must not be greater than 100'],
  )
  list(@CurrentUser() user: AuthUser, @Query() q: CallLogQueryDto): Promise<CallLogPageDto> {
    return this.log.list(user.userId, q.cursor, q.limit);
  }

  @Get('ice-servers')
  @ApiOperation({
    summary: 'STUN/TURN servers for RTCPeerConnection',
    description:
      'TURN credentials in the coturn REST scheme: username `<expiry>:<opaque id>` (no phone number or email), ' +
      'credential base64(HMAC-SHA1(TURN_SECRET, username)), valid for `ttl` seconds.',
  })
  @ApiOkResponse({ type: IceServersDto })
  iceServers(@CurrentUser() user: AuthUser): IceServersDto {
    return this.log.iceServers(user.userId);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a call from my log (the other party keeps theirs)' })
  @ApiParam({ name: 'id', example: '6660a1b2c3d4e5f6a7b8c9d0', description: 'Call id' })
  @ApiNoContentResponse({ description: 'Deleted from my log' })
  @ApiErrors([400, 'invalid_id', 'id must be a 24-character hex id'], [404, 'call_not_found', 'No such call in your log'])
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    await this.log.hide(user.userId, id);
  }
}
