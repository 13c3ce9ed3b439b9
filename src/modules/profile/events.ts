/** Emitted (EventEmitter2) after any change to a user's name, about, avatar or privacy settings. */
export const PROFILE_UPDATED = 'profile.updated';

export interface ProfileUpdatedEvent {
  userId: string;
}
