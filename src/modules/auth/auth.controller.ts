import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { Public } from '../../core/http/public.decorator.js';
import { ApiError, ApiUnauthorized } from '@app/common';
import { ApiValidation } from './api-errors.js';
import { AuthService } from './auth.service.js';
import { countries } from './countries.js';
import { CountryDto, OtpRequestedDto, RefreshDto, RequestOtpDto, SignedInDto, TokensDto, VerifyOtpDto } from './dto/otp.dto.js';
import { OtpRateLimited } from './otp/otp.service.js';
import { SessionsService } from './sessions/sessions.service.js';

export const ApiOtpRequestErrors = (): MethodDecorator => {
  const decorators = [
    ApiValidation(),
    ApiError(429, 'Resend cooldown or hourly limit (per identifier or per client IP); the Retry-After header says when to retry', [
      ['otp_cooldown', 'A code was sent moments ago; wait before asking for another', { retryAfterSeconds: 42 }],
      ['otp_rate_limited', 'Too many codes requested for this identifier; try again later', { retryAfterSeconds: 1800 }],
    ]),
    ApiError(503, 'No delivery for this kind of identifier is configured (e.g. a phone with only smtp)', [
      ['otp_channel_unavailable', 'Codes cannot be sent to phone numbers on this server; use an email address'],
    ]),
  ];
  return (target, key, descriptor) => decorators.forEach((d) => d(target, key, descriptor));
};

export const ApiOtpVerifyErrors = (): MethodDecorator => {
  const decorators = [
    ApiValidation(),
    ApiError(401, 'The code was not accepted; `code` says why', [
      ['otp_invalid', 'Wrong code; 4 attempt(s) left', { attemptsLeft: 4 }],
      ['otp_expired', 'This code has expired; request a new one'],
      ['otp_burned', 'Too many wrong codes; this code no longer works, request a new one'],
      ['otp_used', 'This code was already used; request a new one'],
      ['otp_not_found', 'No code was requested for this identifier (or it is long gone); request one'],
    ]),
  ];
  return (target, key, descriptor) => decorators.forEach((d) => d(target, key, descriptor));
};

/** Sets Retry-After on a 429 before it propagates to the exception filter. */
export async function withRetryAfter<T>(res: Response, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof OtpRateLimited) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    throw err;
  }
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @Get('countries')
  @ApiOperation({ summary: 'Every country with ISO code, name, calling code and an example mobile number', security: [] })
  @ApiOkResponse({ type: CountryDto, isArray: true })
  countries(): CountryDto[] {
    return countries();
  }

  @Public()
  @Post('otp/request')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a one-time sign-in code to a phone or email',
    description: 'The answer is the same whether or not an account exists. A new request replaces the previous code.',
    security: [],
  })
  @ApiAcceptedResponse({ type: OtpRequestedDto })
  @ApiOtpRequestErrors()
  request(@Body() body: RequestOtpDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<OtpRequestedDto> {
    return withRetryAfter(res, this.auth.requestSignInCode(body.identifier, body.country, clientIp(req)));
  }

  @Public()
  @Post('otp/verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange a code for tokens; the first sign-in creates the account', security: [] })
  @ApiOkResponse({ type: SignedInDto })
  @ApiOtpVerifyErrors()
  verify(@Body() body: VerifyOtpDto): Promise<SignedInDto> {
    return this.auth.signIn(body.identifier, body.country, body.code, body.deviceName);
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rotate a refresh token: returns a new access token and a new refresh token',
    description: 'Presenting a refresh token that was already used revokes its whole session (reuse detection).',
    security: [],
  })
  @ApiOkResponse({ type: TokensDto })
  @ApiValidation()
  @ApiError(401, 'The refresh token was not accepted', [
    ['invalid_refresh_token', 'Unknown refresh token'],
    ['refresh_token_reused', 'This refresh token was already used; the session has been revoked'],
    ['session_revoked', 'This session has been revoked'],
    ['session_expired', 'This session has expired; sign in again'],
  ])
  refresh(@Body() body: RefreshDto): Promise<TokensDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke the current session and disconnect its sockets' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiUnauthorized()
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.sessions.revoke(user.sessionId, 'logout', user.userId);
  }
}

/** The client's address as Express resolves it under TRUST_PROXY. */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
