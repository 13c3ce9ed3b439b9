import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorBody } from './error-body.js';

/**
 * Renders every HTTP error as `{ statusCode, error, message, requestId }` (plus `code` and field
 * details where known). 5xx are logged with their stack; the client only sees a generic message.
 * Socket handlers answer through their ack instead (see libs/realtime), so other contexts rethrow.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const body = toErrorBody(exception);
    body.requestId = typeof req.id === 'string' ? req.id : undefined;
    if (body.code === 'database_unavailable' || body.code === 'redis_unavailable') {
      // An outage, not a bug: one line without the stack, and the client is told when to retry.
      this.logger.warn({ err: (exception as Error).message, requestId: body.requestId, url: req.originalUrl }, body.code);
      if (!res.headersSent) res.setHeader('Retry-After', String(body.retryAfterSeconds));
    } else if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: body.requestId, method: req.method, url: req.originalUrl }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }
}
