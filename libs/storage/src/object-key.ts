import { randomBytes } from 'node:crypto';

// prefix segments, then 128 random bits, then a short extension: no user input ever reaches a key,
// and nothing here can climb out of a folder (no dots but the extension's, no empty segments).
const KEY = /^[a-z0-9][a-z0-9-]{0,31}(\/[a-z0-9][a-z0-9-]{0,63}){0,4}\/[A-Za-z0-9_-]{16,64}\.[a-z0-9]{1,8}$/;

/** A new unguessable key such as `avatars/665f.../Qk3v...Zw.webp`. */
export function newObjectKey(prefix: string, extension: string): string {
  const key = `${prefix}/${randomBytes(16).toString('base64url')}.${extension}`;
  if (!isObjectKey(key)) throw new Error(`Invalid object key prefix or extension: ${prefix} .${extension}`);
  return key;
}

/** The shape of every key, for documents (the `/files/{key}` parameter). */
export const OBJECT_KEY_PATTERN = KEY.source;

export function isObjectKey(value: unknown): value is string {
  return typeof value === 'string' && KEY.test(value);
}

export function extensionOf(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}
