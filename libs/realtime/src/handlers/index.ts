export { SocketAckInterceptor } from './socket-ack.interceptor.js';
export { INTERNAL_ERROR, type SocketAck, type SocketErrorBody, toSocketError } from './socket-error.js';
export { SocketExceptionFilter } from './socket-exception.filter.js';
export { SocketGateway } from './socket-gateway.decorator.js';
export { DEFAULT_SOCKET_RATE_LIMITS, type RateVerdict, SocketRateLimiter, type SocketRateLimits } from './socket-rate-limiter.js';
export { SocketClient, SocketUser } from './socket-user.decorator.js';
export { SocketValidationPipe } from './socket-validation.pipe.js';
