/** The status module's BullMQ queue. */
export enum StatusQueue {
  Status = 'status',
}

export enum StatusJob {
  /** Scheduled: deletes expired statuses, their audience rows, views and media (queries already ignore them). */
  Cleanup = 'status.cleanup',
}

export interface StatusJobPayloads {
  [StatusJob.Cleanup]: { requestedBy?: string };
}
