import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUnauthorized } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { PresenceListDto, PresenceQueryDto } from './dto/presence.dto.js';
import { PresenceService } from './presence.service.js';

@ApiTags('presence')
@ApiUnauthorized()
@Controller('presence')
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  @Get()
  @ApiOperation({
    summary: 'Online and last seen of some of your connections',
    description:
      'Ids that are not your connections (or blocked either way) are omitted. lastSeen is null when either side hides ' +
      'their last seen (reciprocal). Live changes arrive as the `presence:update` socket event.',
  })
  @ApiOkResponse({ type: PresenceListDto })
  @ApiBadRequestResponse({
    description: 'userIds missing, too many, or not ids',
    schema: {
      example: {
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: ['userIds: each value in userIds must be a 24-character hex id'],
        fields: { userIds: ['each value in userIds must be a 24-character hex id'] },
      },
    },
  })
  async list(@CurrentUser() user: AuthUser, @Query() query: PresenceQueryDto): Promise<PresenceListDto> {
    const found = await this.presence.presenceFor(user.userId, query.userIds);
    return { items: query.userIds.filter((id) => found.has(id)).map((id) => ({ userId: id, ...found.get(id)! })) };
  }
}
