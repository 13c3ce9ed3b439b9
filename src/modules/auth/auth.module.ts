import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../../config/index.js';
import { REDIS, type Redis } from '../../core/redis/redis.module.js';
import { UsersModule } from '../users/index.js';
import { authQueue } from './auth-cleanup.js';
import { AuthController } from './auth.controller.js';
import { AuthGateway } from './auth.gateway.js';
import { AuthService } from './auth.service.js';
import { createDeliveries, OTP_DELIVERIES, OtpSender } from './delivery/otp-sender.js';
import { IdentifiersController } from './identifiers.controller.js';
import { OtpRateLimiter } from './otp/otp-rate-limiter.js';
import { OtpStore } from './otp/otp-store.js';
import { OtpService } from './otp/otp.service.js';
import { RefreshToken, RefreshTokenSchema } from './schemas/refresh-token.schema.js';
import { Session, SessionSchema } from './schemas/session.schema.js';
import { SessionsController } from './sessions.controller.js';
import { LiveSessions } from './sessions/live-sessions.js';
import { SessionsRepository } from './sessions/sessions.repository.js';
import { SessionsService } from './sessions/sessions.service.js';
import { AccessTokens } from './tokens/access-tokens.js';
import { JwtAuthGuard } from './tokens/jwt-auth.guard.js';
import { JwtSocketAuthenticator } from './tokens/jwt-socket.authenticator.js';
import { JwtStrategy } from './tokens/jwt.strategy.js';

/**
 * OTP sign-in, tokens and sessions. Installs the global JWT guard; exports the socket authenticator
 * (bound in RealtimeModule.forRoot) and SessionsService.
 */
@Module({
  imports: [
    authQueue,
    UsersModule,
    PassportModule,
    JwtModule.register({}),
    MongooseModule.forFeature([
      { name: Session.name, schema: SessionSchema },
      { name: RefreshToken.name, schema: RefreshTokenSchema },
    ]),
  ],
  controllers: [AuthController, SessionsController, IdentifiersController],
  providers: [
    AuthService,
    OtpService,
    OtpStore,
    OtpRateLimiter,
    OtpSender,
    {
      provide: OTP_DELIVERIES,
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => createDeliveries(config, redis),
    },
    SessionsRepository,
    SessionsService,
    LiveSessions,
    AccessTokens,
    JwtStrategy,
    JwtSocketAuthenticator,
    AuthGateway,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [JwtSocketAuthenticator, AccessTokens, SessionsService],
})
export class AuthModule {}
