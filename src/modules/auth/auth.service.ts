import { Injectable } from '@nestjs/common';
import { type MeDto, UsersService } from '../users/index.js';
import type { OtpRequestedDto, SignedInDto, TokensDto } from './dto/otp.dto.js';
import { OtpService, parseIdentifier } from './otp/otp.service.js';
import { SessionsService } from './sessions/sessions.service.js';

const REQUESTED = 'If the identifier can receive codes, one is on its way';

@Injectable()
export class AuthService {
  constructor(
    private readonly otp: OtpService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  async requestSignInCode(raw: string, country: string | undefined, ip: string): Promise<OtpRequestedDto> {
    const identifier = parseIdentifier(raw, country);
    return { message: REQUESTED, ...(await this.otp.request({ kind: 'sign_in' }, identifier, ip)) };
  }

  /** The first successful sign-in with an identifier creates the account. */
  async signIn(raw: string, country: string | undefined, code: string, deviceName?: string): Promise<SignedInDto> {
    const identifier = parseIdentifier(raw, country);
    await this.otp.verify({ kind: 'sign_in' }, identifier, code);
    const { user, isNewUser } = await this.users.findOrCreateByIdentifier(identifier);
    const tokens = await this.sessions.create(user.id, deviceName?.trim() || null);
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user: await this.users.me(user.id), isNewUser };
  }

  async refresh(refreshToken: string): Promise<TokensDto> {
    const { accessToken, refreshToken: next } = await this.sessions.refresh(refreshToken);
    return { accessToken, refreshToken: next };
  }

  async requestLinkCode(userId: string, raw: string, country: string | undefined, ip: string): Promise<OtpRequestedDto> {
    const identifier = parseIdentifier(raw, country);
    return { message: REQUESTED, ...(await this.otp.request({ kind: 'link', userId }, identifier, ip)) };
  }

  async link(userId: string, raw: string, country: string | undefined, code: string): Promise<MeDto> {
    const identifier = parseIdentifier(raw, country);
    await this.otp.verify({ kind: 'link', userId }, identifier, code);
    return this.users.addIdentifier(userId, identifier);
  }
}
