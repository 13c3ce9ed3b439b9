import { describe, expect, it } from 'vitest';
import { dependencyFailure } from './dependency-errors.js';
import { toErrorBody } from './error-body.js';

class MongoError extends Error {}
class MongoPoolClearedError extends MongoError {}
class PoolClearedOnNetworkError extends MongoPoolClearedError {}

describe('dependencyFailure', () => {
  it('recognises driver outages by name anywhere in the class chain', () => {
    const selection = Object.assign(new Error('timed out'), { name: 'MongoServerSelectionError' });
    expect(dependencyFailure(selection)?.code).toBe('database_unavailable');
    expect(dependencyFailure(new PoolClearedOnNetworkError('interrupted'))?.code).toBe('database_unavailable');
  });

  it('recognises Redis outages (offline queue off, timeouts, closed connection)', () => {
    expect(dependencyFailure(new Error("Stream isn't writeable and enableOfflineQueue options is false"))?.code).toBe('redis_unavailable');
    expect(dependencyFailure(new Error('Command timed out'))?.code).toBe('redis_unavailable');
    expect(dependencyFailure(Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' }))?.code).toBe('redis_unavailable');
  });

  it('leaves other errors alone: a bug stays a generic 500', () => {
    expect(dependencyFailure(new TypeError('undefined is not a function'))).toBeNull();
    expect(dependencyFailure(Object.assign(new Error('dup'), { name: 'MongoServerError' }))).toBeNull();
    expect(toErrorBody(new Error('boom')).statusCode).toBe(500);
  });

  it('renders an outage as 503 with its code and a retry hint, nothing internal', () => {
    const body = toErrorBody(
      Object.assign(new Error('connection <monitor> to 10.0.0.5:27017 timed out'), { name: 'MongoNetworkTimeoutError' }),
    );
    expect(body).toMatchObject({ statusCode: 503, code: 'database_unavailable', retryAfterSeconds: 5 });
    expect(JSON.stringify(body)).not.toContain('10.0.0.5');
  });
});
