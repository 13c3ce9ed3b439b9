/** The auth module's queue and jobs. */
export enum AuthQueue {
  Auth = 'auth',
}

export enum AuthJob {
  /** Scheduled: deletes expired sessions and refresh tokens (queries already ignore them). */
  Cleanup = 'auth.cleanup',
}

export interface AuthJobPayloads {
  [AuthJob.Cleanup]: { requestedBy?: string };
}
