// What every bench script shares around its own database and Redis key prefix.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { io } from 'socket.io-client';
import { apiEnvironment } from './targets.mjs';

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

/**
 * A bench script's own database and Redis prefix (`<name>_<random>`), the clients on them and the api
 * environment that uses them; `dispose()` drops the database and the keys and closes the clients.
 */
export function benchScope(name) {
  const { MONGODB_URI = 'mongodb://127.0.0.1:27017', REDIS_URL = 'redis://127.0.0.1:6379' } = process.env;
  const prefix = `${name}_${randomBytes(3).toString('hex')}`;
  const mongoUri = new URL(MONGODB_URI);
  mongoUri.pathname = `/${prefix}`;
  const mongo = new MongoClient(mongoUri.toString());
  const redis = new Redis(REDIS_URL);
  const db = mongo.db();
  const env = apiEnvironment({ mongoUri: mongoUri.toString(), redisUrl: REDIS_URL, prefix });
  const dispose = async () => {
    await db.dropDatabase().catch(() => {});
    await deleteKeys(redis, prefix);
    await mongo.close();
    redis.disconnect();
  };
  return { prefix, mongo, redis, db, env, dispose };
}
