import { getQueueToken } from '@nestjs/bullmq';
import type { Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/common';
import { registeredQueueNames } from '../queue/index.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * Queue depths are read from Redis when Prometheus scrapes, so they are right across processes. The
 * queues are looked up at scrape time: every module's (registerQueue) is known by then.
 */
export const queueMetricsProvider: Provider = {
  provide: 'QUEUE_DEPTH_GAUGE',
  inject: [METRICS_REGISTRY, ModuleRef],
  useFactory: (registry: Registry, moduleRef: ModuleRef) =>
    new Gauge({
      name: 'bullmq_queue_jobs',
      help: 'Jobs per BullMQ queue and state',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        const queues = registeredQueueNames().map((name) => moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
        const counts = await Promise.all(queues.map((q) => q.getJobCounts(...STATES).catch(() => null)));
        queues.forEach((q, i) => {
          const c = counts[i];
          if (c) for (const state of STATES) this.set({ queue: q.name, state }, c[state] ?? 0);
        });
      },
    }),
};
