import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '../../../core/http/current-user.decorator.js';
import { AccessTokens } from './access-tokens.js';

/** passport-jwt checks signature, pinned algorithm, issuer and expiry; AccessTokens checks the session. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(private readonly tokens: AccessTokens) {
    const { secret, algorithms, issuer } = tokens.verifyOptions();
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: secret, algorithms, issuer, ignoreExpiration: false });
  }

  validate(payload: unknown): Promise<AuthUser> {
    return this.tokens.checkPayload(payload);
  }
}
