// What every bench script shares around its own database and Redis key prefix.
import { io } from 'socket.io-client';

/** Deletes every Redis key of a bench run (its prefix), in SCAN pages. */
export async function deleteKeys(redis, prefix) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** One authenticated websocket-only Socket.IO client, resolved once connected. */
export function connectSocket(url, token) {
  return new Promise((resolve, reject) => {
    const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}
