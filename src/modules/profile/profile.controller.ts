import { Body, Controller, Delete, Get, Patch, Put, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiUnauthorized, errorExample } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { PrivacySettingsDto, UpdatePrivacyDto } from './dto/privacy.dto.js';
import { ProfileDto } from './dto/profile.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { ProfileService } from './profile.service.js';

@ApiTags('profile')
@ApiUnauthorized()
@Controller('profile')
export class ProfileController {
  constructor(private readonly profiles: ProfileService) {}

  @Get()
  @ApiOperation({ summary: 'My profile' })
  @ApiOkResponse({ type: ProfileDto })
  get(@CurrentUser() user: AuthUser): Promise<ProfileDto> {
    return this.profiles.getOwn(user.userId);
  }

  @Patch()
  @ApiOperation({
    summary: 'Change my name and/or about',
    description: 'Values are trimmed; control characters are refused. Any other field is a 400, never silently written.',
  })
  @ApiOkResponse({ type: ProfileDto })
  @ApiBadRequestResponse({
    description: 'Invalid value or a field that is not name/about',
    ...errorExample(400, 'validation_failed', ['role: property role should not exist']),
  })
  update(@CurrentUser() user: AuthUser, @Body() body: UpdateProfileDto): Promise<ProfileDto> {
    return this.profiles.update(user.userId, body);
  }

  @Put('avatar')
  @ApiOperation({
    summary: 'Set my avatar',
    description:
      'multipart/form-data with the image in the field `file`. The type comes from the bytes (JPEG, PNG or WebP), never ' +
      'the name or Content-Type. The image is re-encoded in its own format: auto-rotated, all metadata removed (EXIF, ' +
      'GPS, XMP, comments), at most 640 px on its longest side, plus a 96x96 thumbnail. The previous avatar is deleted.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: ProfileDto })
  @ApiBadRequestResponse({
    description: 'Not multipart, or no `file` field',
    ...errorExample(400, 'file_missing', 'No file in the multipart field "file"'),
  })
  @ApiResponse({
    status: 413,
    description: 'Larger than AVATAR_MAX_BYTES (cut off while streaming)',
    ...errorExample(413, 'file_too_large', 'The file is larger than 5242880 bytes'),
  })
  @ApiResponse({
    status: 415,
    description: 'Not a JPEG, PNG or WebP image',
    ...errorExample(415, 'unsupported_media_type', 'The file must be a JPEG, PNG or WebP image'),
  })
  @ApiResponse({
    status: 422,
    description: 'Too many pixels (decompression bomb) or undecodable',
    ...errorExample(422, 'image_too_large', 'The image is 30000x30000; at most 50000000 pixels are accepted'),
  })
  @ApiResponse({
    status: 503,
    description: 'Storage unavailable',
    ...errorExample(503, 'storage_unavailable', 'Storage is unavailable (put)'),
  })
  setAvatar(@CurrentUser() user: AuthUser, @Req() req: Request): Promise<ProfileDto> {
    return this.profiles.setAvatar(user.userId, req);
  }

  @Delete('avatar')
  @ApiOperation({ summary: 'Remove my avatar', description: 'Deletes the stored image and thumbnail.' })
  @ApiOkResponse({ type: ProfileDto })
  removeAvatar(@CurrentUser() user: AuthUser): Promise<ProfileDto> {
    return this.profiles.removeAvatar(user.userId);
  }

  @Get('privacy')
  @ApiOperation({ summary: 'My privacy settings' })
  @ApiOkResponse({ type: PrivacySettingsDto })
  getPrivacy(@CurrentUser() user: AuthUser): Promise<PrivacySettingsDto> {
    return this.profiles.getPrivacy(user.userId);
  }

  @Patch('privacy')
  @ApiOperation({
    summary: 'Change who sees my last seen, photo and about',
    description: 'Each of lastSeen, photo, about: everyone | contacts (my connections) | nobody. Blocked users see none of them.',
  })
  @ApiOkResponse({ type: PrivacySettingsDto })
  @ApiBadRequestResponse({
    description: 'Unknown setting or value',
    ...errorExample(400, 'validation_failed', ['photo: photo must be one of the following values: everyone, contacts, nobody']),
  })
  updatePrivacy(@CurrentUser() user: AuthUser, @Body() body: UpdatePrivacyDto): Promise<PrivacySettingsDto> {
    return this.profiles.updatePrivacy(user.userId, body);
  }
}
