import { type DynamicModule, Module } from '@nestjs/common';
import { registerQueue } from '../queue-registry.js';
import { WorkerQueue } from './worker-heartbeat.jobs.js';
import { WorkerHeartbeatProcessor } from './worker-heartbeat.processor.js';
import { WorkerHeartbeat } from './worker-heartbeat.service.js';

const queue = registerQueue(WorkerQueue.Worker);

/** The api only registers the queue (dashboard, tests enqueue); the worker beats. */
@Module({})
export class WorkerHeartbeatModule {
  static forApi(): DynamicModule {
    return { module: WorkerHeartbeatModule, imports: [queue], exports: [queue] };
  }

  static forWorker(): DynamicModule {
    return { module: WorkerHeartbeatModule, imports: [queue], providers: [WorkerHeartbeat, WorkerHeartbeatProcessor] };
  }
}
