/** Server-to-client events of the auth module (socket token lifetime and session revocation). */
export interface AuthServerEvents {
  /**
   * The socket's access token expired and was not renewed with `auth:refresh`: the socket is
   * disconnected at `disconnectAt` (SOCKET_TOKEN_GRACE_SECONDS after expiry) unless it refreshes first.
   */
  'auth:expired': { expiredAt: string; disconnectAt: string };
  /** The session was revoked (logout, revoked from another device, refresh token reuse, account deleted); the socket is cut next. */
  'session:revoked': { sessionId: string; reason: string };
}
