import { type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError } from '@app/common';
import type { AuthUser } from '../../../core/http/current-user.decorator.js';
import { IS_PUBLIC } from '../../../core/http/public.decorator.js';
import { TokenRefused } from './token-refused.js';

/** The global guard (APP_GUARD): every route needs a valid access token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    return super.canActivate(context) as Promise<boolean>;
  }

  override handleRequest<TUser = AuthUser>(err: unknown, user: unknown, info: unknown): TUser {
    if (err instanceof TokenRefused) throw new AppError(HttpStatus.UNAUTHORIZED, err.code, err.message);
    if (err instanceof Error) throw err;
    if (user) return user as TUser;
    const name = (info as { name?: string } | undefined)?.name;
    if (name === 'TokenExpiredError') throw new AppError(HttpStatus.UNAUTHORIZED, 'token_expired', 'The access token has expired');
    const missing = info instanceof Error && /No auth token/i.test(info.message);
    throw new AppError(HttpStatus.UNAUTHORIZED, 'unauthorized', missing ? 'A bearer access token is required' : 'Invalid access token');
  }
}
