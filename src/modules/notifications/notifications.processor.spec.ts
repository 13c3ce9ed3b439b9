import { describe, expect, it } from 'vitest';
import { RetryablePushError } from './fanout.service.js';
import { jobId } from './notifications.jobs.js';
import { pushBackoff } from './notifications.processor.js';

describe('push retries', () => {
  it('wait what Retry-After asked, else back off exponentially (capped at an hour)', () => {
    expect(pushBackoff(1, 'push', new RetryablePushError('503', 2000))).toBe(2000);
    expect(pushBackoff(1, 'push', new RetryablePushError('503', null))).toBe(1000);
    expect(pushBackoff(3, 'push', new Error('x'))).toBe(4000);
    expect(pushBackoff(30, 'push')).toBe(3_600_000);
    expect(pushBackoff(1, 'push', new RetryablePushError('429', 10 * 3_600_000))).toBe(3_600_000);
  });

  it('job ids never contain ":" (BullMQ refuses it in custom ids)', () => {
    expect(jobId('ev', 'connection.requested:665f1c2b9a1e4d3f2a1b0c9d')).toBe('ev-connection.requested_665f1c2b9a1e4d3f2a1b0c9d');
    expect(jobId('push', 'a', 'b')).not.toContain(':');
  });
});
