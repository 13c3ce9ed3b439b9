import { createHmac } from 'node:crypto';

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export interface IceServersView {
  iceServers: IceServer[];
  ttl: number;
}

/**
 * TURN REST credentials (draft-uberti-behave-turn-rest, coturn `use-auth-secret`): the username is
 * `<expiry unix seconds>:<opaque id>` and the password base64(HMAC-SHA1(secret, username)), so coturn
 * checks them with the shared secret alone and refuses them after the expiry. The opaque id is derived
 * from the user id with the secret: stable per user (abuse can be traced to an account by the operator)
 * but it carries no phone number, email or even the raw user id.
 */
export function turnCredentials(
  secret: string,
  userId: string,
  ttlSeconds: number,
  nowMs = Date.now(),
): { username: string; credential: string } {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const opaque = createHmac('sha256', secret).update(`turn-user:${userId}`).digest('base64url').slice(0, 16);
  const username = `${expiry}:${opaque}`;
  return { username, credential: turnPassword(secret, username) };
}

export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

export function iceServersFor(
  turn: { secret: string | null; urls: readonly string[]; stunUrls: readonly string[]; ttlSeconds: number },
  userId: string,
  nowMs = Date.now(),
): IceServersView {
  const iceServers: IceServer[] = [];
  if (turn.stunUrls.length > 0) iceServers.push({ urls: [...turn.stunUrls] });
  if (turn.secret && turn.urls.length > 0)
    iceServers.push({ urls: [...turn.urls], ...turnCredentials(turn.secret, userId, turn.ttlSeconds, nowMs) });
  return { iceServers, ttl: turn.ttlSeconds };
}
