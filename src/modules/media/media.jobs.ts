export enum MediaQueue {
  Media = 'media',
}

export enum MediaJob {
  /** One per media item (job id = media id): transcode/re-encode, then set the final state once. */
  Process = 'media.process',
  /** Scheduled: deletes media no message references MEDIA_ORPHAN_TTL_SECONDS after upload. */
  SweepOrphans = 'media.sweep-orphans',
  /** An account was deleted: its media go (bytes included). */
  DeleteOwned = 'media.delete-owned',
}

export interface MediaJobPayloads {
  [MediaJob.Process]: { mediaId: string };
  [MediaJob.SweepOrphans]: { requestedBy?: string };
  [MediaJob.DeleteOwned]: { userId: string };
}

export type MediaJobName = keyof MediaJobPayloads;
