/**
 * Every server-to-client Socket.IO event and its payload: the one typed map services emit through
 * (RealtimeEmitter). docs/asyncapi.yaml describes each; features add their events here.
 */
export interface ServerEvents {
  /** A client event that failed and had no ack callback to answer through. */
  error: { event: string; code: string; message: string };
}

export type ServerEventName = keyof ServerEvents;
