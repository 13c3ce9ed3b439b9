/** Server-to-client events of the QR module, to the owner's sockets watching their code (`qr:watch`). */
export interface QrServerEvents {
  /** A new code replaced the one on screen (shortly before its expiry, or made on another device). */
  'qr:rotated': { token: string; expiresAt: string; qr: string };
  /** Someone scanned the code on screen: a pending connection request (also sent as connection:request). */
  'qr:scanned': { requestId: string; fromUserId: string };
}
