export { QueueModule } from './queue.module.js';
export { type JobName, type JobPayloads, MaintenanceJob, QueueName } from './queues.js';
