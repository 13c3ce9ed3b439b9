import { HttpStatus } from '@nestjs/common';

export interface DependencyFailure {
  statusCode: HttpStatus.SERVICE_UNAVAILABLE;
  code: 'database_unavailable' | 'redis_unavailable';
  message: string;
  retryAfterSeconds: number;
}

// MongoDB driver and Mongoose errors that mean "no server answered", by class name anywhere in the error's
// prototype chain (PoolClearedOnNetworkError is a MongoPoolClearedError...): Mongoose may bundle its own
// copy of the driver, so instanceof would miss some.
const DATABASE_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoWaitQueueTimeoutError',
]);

// ioredis: offline queue disabled, command timeout, retries exhausted, connection closed.
const REDIS_MESSAGES = [
  /enableOfflineQueue/,
  /^Command timed out/,
  /^Connection is closed/,
  /max retries per request/i,
  /^Reached the max retries/,
];

/**
 * A database or Redis outage as the client should see it: 503 with a stable code and a hint when to
 * retry, instead of a generic 500 (or no answer at all). Null for anything else.
 */
export function dependencyFailure(exception: unknown): DependencyFailure | null {
  if (!(exception instanceof Error)) return null;
  if (classNames(exception).some((name) => DATABASE_ERRORS.has(name))) {
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      code: 'database_unavailable',
      message: 'The database is unavailable; try again shortly',
      retryAfterSeconds: 5,
    };
  }
  if (exception.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((re) => re.test(exception.message))) {
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      code: 'redis_unavailable',
      message: 'A backing service is unavailable; try again shortly',
      retryAfterSeconds: 5,
    };
  }
  return null;
}

function classNames(err: Error): string[] {
  const names = [err.name];
  for (let proto: unknown = Object.getPrototypeOf(err); proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
    const ctor = (proto as { constructor?: { name?: string } }).constructor;
    if (ctor?.name) names.push(ctor.name);
  }
  return names;
}
