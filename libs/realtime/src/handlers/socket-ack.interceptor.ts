import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import type { SocketAck } from './socket-error.js';

/**
 * Wraps what a handler returns as `{ ok: true, data }` for the ack callback. Nest only acks non-nil
 * results, so `undefined` becomes `data: null` and a client waiting on its ack is always answered.
 */
@Injectable()
export class SocketAckInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<SocketAck> {
    return next.handle().pipe(map((data: unknown): SocketAck => ({ ok: true, data: data ?? null })));
  }
}
