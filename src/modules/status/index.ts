/** The status module's public surface. */
export { StatusModule } from './status.module.js';
export { StatusJob, type StatusJobPayloads, StatusQueue } from './status.jobs.js';
