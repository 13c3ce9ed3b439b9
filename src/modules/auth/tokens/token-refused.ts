/** Why an access token was refused; HTTP answers 401 with this code, the socket handshake its message. */
export type RefusalCode = 'unauthorized' | 'token_expired' | 'session_revoked';

export class TokenRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}
