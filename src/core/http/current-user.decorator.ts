import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Who is calling: set on `req.user` by the global JWT guard (auth module) for every non-public route. */
export interface AuthUser {
  userId: string;
  sessionId: string;
}

/** `@CurrentUser() user: AuthUser` in a controller method of a guarded route. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
  if (!user) throw new Error('CurrentUser used on a route without an authenticated user (is it @Public()?)');
  return user;
});
