import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { MeDto } from '../users/index.js';
import { ApiError, ApiUnauthorized } from '@app/common';
import { ApiOtpRequestErrors, ApiOtpVerifyErrors, clientIp, withRetryAfter } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LinkIdentifierDto, OtpRequestedDto, VerifyLinkDto } from './dto/otp.dto.js';

/** Adding a second identifier (email to a phone account, or the reverse) by verifying a code sent to it. */
@ApiTags('users')
@ApiUnauthorized()
@Controller('users/me/identifiers')
export class IdentifiersController {
  constructor(private readonly auth: AuthService) {}

  @Post('request')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a code to a phone or email to add to the signed-in account' })
  @ApiAcceptedResponse({ type: OtpRequestedDto })
  @ApiOtpRequestErrors()
  request(
    @CurrentUser() user: AuthUser,
    @Body() body: LinkIdentifierDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OtpRequestedDto> {
    return withRetryAfter(res, this.auth.requestLinkCode(user.userId, body.identifier, body.country, clientIp(req)));
  }

  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Verify the code and add the identifier to the account' })
  @ApiOkResponse({ type: MeDto })
  @ApiOtpVerifyErrors()
  @ApiError(409, 'The identifier belongs to another account, or the account already has one of its kind', [
    ['identifier_taken', 'This email belongs to another account'],
    ['identifier_type_exists', 'This account already has a email'],
  ])
  verify(@CurrentUser() user: AuthUser, @Body() body: VerifyLinkDto): Promise<MeDto> {
    return this.auth.link(user.userId, body.identifier, body.country, body.code);
  }
}
