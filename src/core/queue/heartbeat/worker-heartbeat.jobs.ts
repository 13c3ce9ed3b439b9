/** The worker processes' own queue: a liveness beat, scheduled. */
export enum WorkerQueue {
  Worker = 'worker',
}

export enum WorkerJob {
  /** Scheduled: records that a worker is alive and running jobs. */
  Heartbeat = 'worker.heartbeat',
}

export interface WorkerJobPayloads {
  [WorkerJob.Heartbeat]: { requestedBy?: string };
}
