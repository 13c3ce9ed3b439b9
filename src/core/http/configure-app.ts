import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter, AppValidationPipe, toErrorBody } from '@app/common';
import type { NextFunction, Request, Response } from 'express';
import { RedisIoAdapter } from '@app/realtime';
import { deferUploadContinue } from '@app/storage';
import type { AppConfig } from '../../config/index.js';
import { RedisFactory } from '../redis/index.js';
import { requestId } from '../logging/logging.module.js';
import { securityHeaders } from './security-headers.js';
import { setupSwagger } from './swagger.js';

/**
 * Everything the api needs besides its modules: logger, security headers, body limits, CORS,
 * validation, the error shape, Swagger (unless DOCS_ENABLED=false) and the Socket.IO adapter. Shared
 * by main.ts and the test harness so tests run the same app that production runs.
 */
export function configureApiApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  deferUploadContinue(app.getHttpServer());
  app.set('trust proxy', config.http.trustProxy);
  // Request ids are assigned before anything else so even body-parser errors carry one.
  app.use((req: Request & { id?: unknown }, res: Response, next: NextFunction) => {
    req.id = requestId(req, res);
    next();
  });
  app.use(...securityHeaders());
  app.useBodyParser('json', { limit: config.http.bodyLimitBytes });
  app.useBodyParser('urlencoded', { limit: config.http.bodyLimitBytes, extended: false });
  // Body-parser failures (malformed JSON, too large) happen before Nest's filters see the request.
  app.use(bodyErrorHandler);
  app.enableCors({ origin: config.http.corsOrigins, credentials: true, exposedHeaders: ['X-Request-Id', 'Retry-After'] });
  app.useGlobalPipes(new AppValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  if (config.docsEnabled) setupSwagger(app);

  const redis = app.get(RedisFactory);
  app.useWebSocketAdapter(
    new RedisIoAdapter(app, {
      corsOrigins: config.http.corsOrigins,
      maxPayloadBytes: config.socket.maxPayloadBytes,
      adapterKey: `${config.redis.prefix}:socket.io`,
      redisClient: redis.create('socket-adapter'),
    }),
  );
}

function bodyErrorHandler(err: unknown, req: Request & { id?: unknown }, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  const body = toErrorBody(err);
  body.requestId = typeof req.id === 'string' ? req.id : undefined;
  res.status(body.statusCode).json(body);
}
