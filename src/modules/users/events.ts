/** In-process domain events the users module emits (EventEmitter2); listeners clean up their own data. */
export const USER_DELETED = 'user.deleted';

export interface UserDeletedEvent {
  userId: string;
}
