/** The QR module's queue and jobs. */
export enum QrQueue {
  Qr = 'qr',
}

export enum QrJob {
  /** Scheduled: deletes expired QR tokens (queries already ignore them). */
  Cleanup = 'qr.cleanup',
}

export interface QrJobPayloads {
  [QrJob.Cleanup]: { requestedBy?: string };
}
