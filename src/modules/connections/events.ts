/** In-process domain events this module emits (EventEmitter2), for presence, chat and calls. */
export const CONNECTION_CREATED = 'connection.created';
export const CONNECTION_REMOVED = 'connection.removed';
export const BLOCK_CREATED = 'block.created';

/** Two users became connected. */
export interface ConnectionCreatedEvent {
  a: string;
  b: string;
}

/** Two users are no longer connected (removed by either, or a block). */
export interface ConnectionRemovedEvent {
  a: string;
  b: string;
}

export interface BlockCreatedEvent {
  blocker: string;
  blocked: string;
}
