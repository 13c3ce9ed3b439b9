import { createHmac, timingSafeEqual } from 'node:crypto';

/** URL path of signed local objects (see SignedFilesController). */
export const SIGNED_FILES_ROUTE = 'signed';

/**
 * Key prefixes that are private: served only through a signed URL, never by the public /files/*
 * route (chat media; avatars stay public).
 */
export const SIGNED_ONLY_PREFIXES: readonly string[] = ['media/'];

export function isSignedOnlyKey(key: string): boolean {
  return SIGNED_ONLY_PREFIXES.some((prefix) => key.startsWith(prefix));
}

// The domain separator keeps these MACs from ever being valid for anything else signed with the secret.
function mac(secret: string, key: string, expires: number): string {
  return createHmac('sha256', secret).update(`storage-object-url\n${key}\n${expires}`).digest('base64url');
}

/** Query string `expires=<unix seconds>&signature=<mac>` for `key`. */
export function signObjectKey(secret: string, key: string, expires: number): string {
  return `expires=${expires}&signature=${mac(secret, key, expires)}`;
}

/** True when the signature is the key's and the expiry is still ahead of `nowSeconds`. */
export function verifyObjectSignature(
  secret: string,
  key: string,
  expires: unknown,
  signature: unknown,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof signature !== 'string') return false;
  const at = Number(expires);
  if (at <= nowSeconds) return false;
  const expected = Buffer.from(mac(secret, key, at));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
