import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: far beyond guessing, short enough for a small QR code. */
export function newQrToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this is stored: a database leak does not yield scannable codes. */
export function hashQrToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What the QR code encodes; the app recognises the scheme and posts the token to /qr/scan. */
export function qrUri(token: string): string {
  return `messaging://connect?token=${token}`;
}
