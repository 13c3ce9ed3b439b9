import { WorkerHost } from '@nestjs/bullmq';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/index.js';
import { QueueProcessor, StallTiming } from './queue-processor.js';

// Where @nestjs/bullmq keeps a processor's worker options (read when it creates the BullMQ worker).
const WORKER_METADATA = 'bullmq:worker_metadata';

describe('QueueProcessor', () => {
  it('gives the worker the stall timing of WORKER_STALLED_INTERVAL_MS as it is when the worker is created', () => {
    @QueueProcessor('some-queue', { maxStalledCount: 3 })
    class SomeProcessor extends WorkerHost {
      process(): Promise<void> {
        return Promise.resolve();
      }
    }
    // The decorator ran at class definition; config arrives later, with the providers.
    new StallTiming({ worker: { concurrency: 1, stalledIntervalMs: 2000 } } as AppConfig);
    const options = { ...(Reflect.getMetadata(WORKER_METADATA, SomeProcessor) as object) };
    expect(options).toEqual({ maxStalledCount: 3, stalledInterval: 2000, lockDuration: 3000 });
  });
});
