import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import type { Env } from './test-env.js';

/** Drops the suite's database and deletes every Redis key under its prefix. */
export async function cleanupTestData(env: Env): Promise<void> {
  const mongo = new MongoClient(env.MONGODB_URI, { serverSelectionTimeoutMS: 5000 });
  try {
    await mongo.db().dropDatabase();
  } finally {
    await mongo.close();
  }
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
