/** Every BullMQ queue. Each job name has exactly one handler, in the worker process. */
export enum QueueName {
  Maintenance = 'maintenance',
}

export enum MaintenanceJob {
  /** Scheduled: records that a worker is alive and running jobs. */
  Heartbeat = 'heartbeat',
}

/** Payload of each job, by name: one typed union for producers and processors alike. */
export interface JobPayloads {
  [MaintenanceJob.Heartbeat]: { requestedBy?: string };
}

export type JobName = keyof JobPayloads;
