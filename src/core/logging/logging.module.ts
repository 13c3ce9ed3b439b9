import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/index.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Paths pino replaces with [redacted]: credentials and one-time codes never reach the logs. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...['password', 'token', 'accessToken', 'refreshToken', 'code', 'otp', 'secret', 'authorization'].flatMap((k) => [
    k,
    `*.${k}`,
    `*.*.${k}`,
  ]),
];

/** Uses the caller's X-Request-Id when it is sane, else a new UUID; echoed in the response header. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          // configureApiApp assigns the id first; reuse it so logs and responses agree.
          genReqId: (req, res) => (typeof req.id === 'string' ? req.id : requestId(req, res)),
          redact: { paths: REDACT_PATHS, censor: '[redacted]' },
          customProps: (req: IncomingMessage) => {
            const user = (req as IncomingMessage & { user?: { userId?: string } }).user;
            return user?.userId ? { userId: user.userId } : {};
          },
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' || req.url === '/metrics' },
          // Pretty output is for a developer's terminal only; production and tests log JSON.
          transport: config.env === 'development' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
        },
      }),
    }),
  ],
})
export class LoggingModule {}
