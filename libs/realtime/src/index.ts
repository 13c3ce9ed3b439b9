export { RealtimeGateway, userRoom } from './realtime.gateway.js';
export { RealtimeModule } from './realtime.module.js';
export { RedisIoAdapter, type RedisIoAdapterOptions } from './redis-io.adapter.js';
export { HandshakeRefused, RefuseAllSocketAuthenticator, SocketAuthenticator, type SocketIdentity } from './socket-authenticator.js';
