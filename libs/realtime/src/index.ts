export type {
  AttachmentPayload,
  ChatCallPayload,
  ChatMarkerPayload,
  ChatMessagePayload,
  ChatMessageType,
  ChatStatusRefPayload,
  MessageUpdateKind,
  ConnectionRequestPayload,
  PublicProfilePayload,
  ServerEventName,
  ServerEvents,
} from './events.js';
export * from './handlers/index.js';
export { RealtimeEmitter } from './realtime.emitter.js';
export { RealtimeGateway } from './realtime.gateway.js';
export { RealtimeModule } from './realtime.module.js';
export { REALTIME_OPTIONS, type RealtimeOptions } from './realtime.options.js';
export { RedisIoAdapter, type RedisIoAdapterOptions, streamsAdapter } from './redis-io.adapter.js';
export { WorkerRealtimeServer, type WorkerRealtimeOptions } from './worker-realtime.js';
export { sessionRoom, userRoom } from './rooms.js';
export { HandshakeRefused, RefuseAllSocketAuthenticator, SocketAuthenticator, type SocketIdentity } from './socket-authenticator.js';
