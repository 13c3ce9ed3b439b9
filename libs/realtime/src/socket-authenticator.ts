import type { Socket } from 'socket.io';

export interface SocketIdentity {
  userId: string;
  sessionId: string;
  /** When the access token in force expires (ms since the epoch); the socket is held to it (SocketTokenExpiry). */
  expiresAt?: number;
}

/** Error whose message a refused client receives in `connect_error` (e.g. `unauthorized`). */
export class HandshakeRefused extends Error {}

/**
 * Verifies a socket's handshake (`auth.token`). The auth module provides the implementation; the
 * gateway runs it for every connection before any event handler can run.
 */
export abstract class SocketAuthenticator {
  abstract authenticate(socket: Socket): Promise<SocketIdentity>;
}

/** Until a real authenticator is bound, every connection is refused. */
export class RefuseAllSocketAuthenticator extends SocketAuthenticator {
  authenticate(): Promise<SocketIdentity> {
    return Promise.reject(new HandshakeRefused('unauthorized'));
  }
}
