/** The auth module's public surface. */
export { AuthModule } from './auth.module.js';
export { AuthWorkerModule } from './auth-cleanup.js';
export { AuthJob, type AuthJobPayloads, AuthQueue } from './auth.jobs.js';
export { SessionsService } from './sessions/sessions.service.js';
export { AccessTokens } from './tokens/access-tokens.js';
export { JwtSocketAuthenticator } from './tokens/jwt-socket.authenticator.js';
export { testOutboxKey } from './delivery/test.delivery.js';
