export { QueueModule } from './queue.module.js';
export { QueueProcessor } from './queue-processor.js';
export { registeredQueueNames, registerQueue } from './queue-registry.js';
export { type JobOf, unknownJob } from './typed-job.js';
export { WorkerHeartbeatModule } from './heartbeat/worker-heartbeat.module.js';
export { WorkerJob, type WorkerJobPayloads, WorkerQueue } from './heartbeat/worker-heartbeat.jobs.js';
