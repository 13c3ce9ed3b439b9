import QRCode from 'qrcode';
import { qrUri } from './qr-token.js';

export type QrFormat = 'png' | 'svg';
export const QR_FORMATS: readonly QrFormat[] = ['png', 'svg'];

/**
 * The sockets of `owner` watching their code, one room per image format (on every api process, through
 * the adapter): a rotated code reaches each watching device in the format it asked for.
 */
export const qrWatchRoom = (owner: string, format: QrFormat): string => `qr-watch:${format}:${owner}`;
export const qrWatchRooms = (owner: string): string[] => QR_FORMATS.map((f) => qrWatchRoom(owner, f));

/** The QR image of a token: a PNG data URL, or SVG markup. */
export function renderQr(token: string, format: QrFormat): Promise<string> {
  const uri = qrUri(token);
  return format === 'svg' ? QRCode.toString(uri, { type: 'svg', margin: 2 }) : QRCode.toDataURL(uri, { margin: 2, width: 320 });
}

/** How long before a watched code expires it is replaced: a tenth of its life, 1 to 10 seconds. */
export function rotationLeadMs(ttlSeconds: number): number {
  return Math.min(10_000, Math.max(1000, ttlSeconds * 100));
}
