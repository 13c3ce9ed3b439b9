// Used by scripts/lib/services.sh: exits 0 when the server at the URI answers a ping within 2 s.
import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';

const [kind, uri] = process.argv.slice(2);
const timer = setTimeout(() => process.exit(1), 2500);
try {
  if (kind === 'mongo') {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
    await client.db('admin').command({ ping: 1 });
    await client.close();
  } else {
    const redis = new Redis(uri, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await redis.connect();
    await redis.ping();
    redis.disconnect();
  }
  clearTimeout(timer);
  process.exit(0);
} catch {
  process.exit(1);
}
