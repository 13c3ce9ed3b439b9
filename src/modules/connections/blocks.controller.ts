import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ParseObjectIdPipe, PageQueryDto } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { ApiErrors, ApiUnauthorized } from '@app/common';
import { BlocksService } from './blocks.service.js';
import { BlockDto, BlockPageDto } from './dto/contact.dto.js';

const USER = { name: 'userId', example: '665f1c2b9a1e4d3f2a1b0c9e' };
const INVALID_ID: [number, string, string] = [400, 'invalid_id', 'id must be a 24-character hex id'];

@ApiTags('blocks')
@ApiUnauthorized()
@Controller('blocks')
export class BlocksController {
  constructor(private readonly blocks: BlocksService) {}

  @Get()
  @ApiOperation({ summary: 'Users I block, newest first; cursor-paginated' })
  @ApiOkResponse({ type: BlockPageDto })
  @ApiErrors([400, 'invalid_cursor', 'cursor is not one this API returned'])
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<BlockPageDto> {
    return this.blocks.list(user.userId, query.limit, query.cursor);
  }

  @Post(':userId')
  @ApiOperation({
    summary: 'Block a user (idempotent)',
    description:
      'Removes our connection (both hear connection:removed) and any pending request between us, and stops requests, ' +
      'messages, calls, presence and profile updates both ways. The blocked user is not told; their scans of my codes answer 404.',
  })
  @ApiParam(USER)
  @ApiCreatedResponse({ type: BlockDto })
  @ApiErrors(INVALID_ID, [400, 'cannot_block_self', 'You cannot block yourself'], [404, 'user_not_found', 'User not found'])
  block(@CurrentUser() user: AuthUser, @Param('userId', ParseObjectIdPipe) userId: string): Promise<BlockDto> {
    return this.blocks.block(user.userId, userId);
  }

  @Delete(':userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Unblock a user (the connection is not restored: connect again with a QR code)' })
  @ApiParam(USER)
  @ApiNoContentResponse({ description: 'Unblocked' })
  @ApiErrors(INVALID_ID, [404, 'not_blocked', 'You have not blocked this user'])
  unblock(@CurrentUser() user: AuthUser, @Param('userId', ParseObjectIdPipe) userId: string): Promise<void> {
    return this.blocks.unblock(user.userId, userId);
  }
}
