/** The connections module's queue and jobs. */
export enum ConnectionsQueue {
  Connections = 'connections',
}

export enum ConnectionsJob {
  /** Scheduled: deletes expired connection requests (queries already ignore them). */
  RequestsCleanup = 'connections.requests-cleanup',
}

export interface ConnectionsJobPayloads {
  [ConnectionsJob.RequestsCleanup]: { requestedBy?: string };
}
