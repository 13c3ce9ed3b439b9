/** Every BullMQ queue. Each job name has exactly one handler, in the worker process. */
export enum QueueName {
  Maintenance = 'maintenance',
  Connections = 'connections',
}

export enum MaintenanceJob {
  /** Scheduled: records that a worker is alive and running jobs. */
  Heartbeat = 'heartbeat',
  /** Scheduled: deletes expired sessions and refresh tokens (auth). */
  AuthCleanup = 'auth.cleanup',
}

export enum ConnectionsJob {
  /** Scheduled: deletes expired QR tokens and connection requests (queries already ignore them). */
  Cleanup = 'connections.cleanup',
}

/** Payload of each job, by name: one typed union for producers and processors alike. */
export interface JobPayloads {
  [MaintenanceJob.Heartbeat]: { requestedBy?: string };
  [MaintenanceJob.AuthCleanup]: { requestedBy?: string };
  [ConnectionsJob.Cleanup]: { requestedBy?: string };
}

export type JobName = keyof JobPayloads;
