import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiObjectIdParam, ApiUnauthorized, ParseObjectIdPipe } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { ProfileService } from '../profile/index.js';
import { MeDto, PublicUserDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

const NOT_FOUND = {
  description: 'No such user',
  schema: { example: { statusCode: 404, error: 'Not Found', message: 'User not found', code: 'user_not_found' } },
};

@ApiTags('users')
@ApiUnauthorized()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly profiles: ProfileService,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in account, with its phone and email' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.users.me(user.userId);
  }

  @Delete('me')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete the signed-in account',
    description:
      'Frees its phone and email, revokes every session, disconnects its sockets and erases its profile and ' +
      'connections (modules listening to the user.deleted event).',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteMe(@CurrentUser() user: AuthUser): Promise<void> {
    await this.users.deleteAccount(user.userId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Public fields of a user (never phone or email), with their profile as their privacy settings let me see it' })
  @ApiObjectIdParam('id')
  @ApiOkResponse({ type: PublicUserDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async byId(@CurrentUser() viewer: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<PublicUserDto> {
    const [user, profile] = await Promise.all([this.users.publicUser(id), this.profiles.getPublicProfile(viewer.userId, id)]);
    const { userId: _, ...fields } = profile;
    return { ...user, ...fields };
  }
}
