import { Injectable, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RefreshToken, RefreshTokenSchema } from './schemas/refresh-token.schema.js';
import { Session, SessionSchema } from './schemas/session.schema.js';
import { SessionsRepository } from './sessions/sessions.repository.js';

/** Scheduled (worker): deletes sessions and refresh tokens past expiresAt. Queries already ignore them. */
@Injectable()
export class AuthCleanup {
  constructor(private readonly sessions: SessionsRepository) {}

  run(): Promise<{ sessions: number; tokens: number }> {
    return this.sessions.deleteExpired(new Date());
  }
}

/** What the worker's maintenance processor needs of auth, without the api-only parts (guard, controllers). */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Session.name, schema: SessionSchema },
      { name: RefreshToken.name, schema: RefreshTokenSchema },
    ]),
  ],
  providers: [SessionsRepository, AuthCleanup],
  exports: [AuthCleanup],
})
export class AuthCleanupModule {}
