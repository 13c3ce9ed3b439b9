export type {
  AttachmentPayload,
  ChatCallPayload,
  ChatMarkerPayload,
  ChatMessagePayload,
  ChatMessageType,
  ChatStatusRefPayload,
  ConnectionRequestPayload,
  NotificationKind,
  NotificationPayload,
  PublicProfilePayload,
  ServerEventName,
  ServerEvents,
} from './events.js';
export type { CallKind, CallServerEvents, IceCandidatePayload } from './events/calls.events.js';
export type { StatusMediaPayload, StatusPayload, StatusServerEvents } from './events/status.events.js';
export * from './handlers/index.js';
export { RealtimeEmitter } from './realtime.emitter.js';
export { RealtimeGateway } from './realtime.gateway.js';
export { RealtimeModule } from './realtime.module.js';
export { REALTIME_OPTIONS, type RealtimeOptions } from './realtime.options.js';
export { RedisIoAdapter, type RedisIoAdapterOptions, streamsAdapter } from './redis-io.adapter.js';
export { WorkerRealtimeServer, type WorkerRealtimeOptions } from './worker-realtime.js';
export { sessionRoom, userRoom } from './rooms.js';
export { SocketTokenExpiry, TOKEN_RENEW_EVENT } from './socket-token-expiry.js';
export { HandshakeRefused, RefuseAllSocketAuthenticator, SocketAuthenticator, type SocketIdentity } from './socket-authenticator.js';
