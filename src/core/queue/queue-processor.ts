import { Processor } from '@nestjs/bullmq';
import type { WorkerOptions } from 'bullmq';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';

// Read when @nestjs/bullmq builds the BullMQ workers (its onModuleInit), after StallTiming set it.
let stalledIntervalMs = 10_000;

/**
 * `@Processor()` with the stall timing of WORKER_STALLED_INTERVAL_MS: how soon a job whose worker died
 * (kill -9, a crashed host) runs again on another worker. Decorator options are fixed when the class is
 * defined, before config is loaded, so the timing is given as getters that @nestjs/bullmq reads when it
 * creates the worker. The lock lasts 1.5 intervals (renewed every half lock), so a live job keeps it
 * through an event-loop stall of most of an interval; a dead worker's job is found within about
 * 2.5 intervals (its lock lapses, then the next check moves it back to waiting).
 */
export function QueueProcessor(
  queue: string,
  options: Omit<WorkerOptions, 'connection' | 'stalledInterval' | 'lockDuration'> = {},
): ClassDecorator {
  return Processor(queue, {
    ...options,
    get stalledInterval() {
      return stalledIntervalMs;
    },
    get lockDuration() {
      return Math.round(stalledIntervalMs * 1.5);
    },
  });
}

/** Copies WORKER_STALLED_INTERVAL_MS for QueueProcessor; built with the other providers, before any worker exists. */
@Injectable()
export class StallTiming {
  constructor(config: AppConfig) {
    stalledIntervalMs = config.worker.stalledIntervalMs;
  }
}
