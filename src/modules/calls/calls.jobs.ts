/** The calls module's own queue (ring timeouts, connection-loss checks), processed in the worker. */
export enum CallsQueue {
  Calls = 'calls',
}

export enum CallsJob {
  /** Delayed by CALL_RING_TIMEOUT_SECONDS, jobId = the call id: a still-ringing call becomes missed. */
  RingTimeout = 'calls.ring-timeout',
  /** Delayed by CALL_RECONNECT_GRACE_SECONDS after an active device's socket closed: ends the call unless resumed. */
  ConnectionCheck = 'calls.connection-check',
}

export type CallRole = 'caller' | 'callee';

export interface CallsJobPayloads {
  [CallsJob.RingTimeout]: { callId: string };
  [CallsJob.ConnectionCheck]: { callId: string; role: CallRole; socketId: string };
}

export type CallsJobName = keyof CallsJobPayloads;

/** BullMQ refuses `:` in custom job ids; socket ids are base64url-like, so only `-`/`_` appear. */
export const connectionCheckJobId = (callId: string, socketId: string): string =>
  `lost-${callId}-${socketId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
