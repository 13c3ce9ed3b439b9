import type { Job } from 'bullmq';

/**
 * The jobs of one queue as a union discriminated by name: `switch (job.name)` narrows `job.data` to
 * that job's payload, and a switch that misses a name fails lint (switch-exhaustiveness-check).
 */
export type JobOf<Payloads> = { [Name in keyof Payloads & string]: Job<Payloads[Name], unknown, Name> }[keyof Payloads & string];

/**
 * For the `default:` of an exhaustive switch over `job.name` (which is `never` there, so a missed name
 * does not type-check): unreachable by type, but a stale schedule may still send an unknown name.
 */
export function unknownJob(job: Job, name: never): Error {
  return new Error(`No handler for job "${String(name)}" on queue "${job.queueName}"`);
}
