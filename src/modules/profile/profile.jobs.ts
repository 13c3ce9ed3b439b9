/** The profile module's own queue (registered by ProfileModule; processed only in the worker). */
export enum ProfileQueue {
  Profile = 'profile',
}

export enum ProfileJob {
  /** Tells the owner's connections that their profile changed (profile:update, privacy per viewer). */
  Fanout = 'profile.fanout',
}

export interface ProfileJobPayloads {
  [ProfileJob.Fanout]: { userId: string };
}

export type ProfileJobName = keyof ProfileJobPayloads;

/**
 * One fan-out per version of a profile: a change emitted twice (or two changes read back as the same
 * version) is enqueued once. BullMQ refuses `:` in custom ids.
 */
export function fanoutJobId(userId: string, version: Date): string {
  return `profile-fanout-${userId}-${version.getTime()}`;
}
