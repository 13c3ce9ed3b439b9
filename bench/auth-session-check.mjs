// Cost of the per-request session check: one Redis GET (what the guard does) versus one FerretDB/MongoDB
// findOne by _id (what a database-backed check would cost). `node bench/auth-session-check.mjs`
// with MONGODB_URI and REDIS_URL set (scripts/lib/services.sh ensure_services exports both).
import { Redis } from 'ioredis';
import { MongoClient, ObjectId } from 'mongodb';

const N = Number(process.env.N ?? 2000);
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const mongo = new MongoClient(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/bench', { serverSelectionTimeoutMS: 5000 });
await mongo.connect();
const db = mongo.db(`bench_auth_${process.pid}`);
const sessions = db.collection('sessions');
const ids = Array.from({ length: 1000 }, () => new ObjectId());
await sessions.insertMany(ids.map((_id) => ({ _id, userId: 'u', revokedAt: null, expiresAt: new Date(Date.now() + 86_400_000) })));
await redis.mset(...ids.flatMap((id) => [`bench:auth:session:${id.toHexString()}`, 'u']));

async function time(label, fn) {
  for (let i = 0; i < 100; i++) await fn(i); // warm up
  const samples = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const q = (p) => samples[Math.floor(p * (samples.length - 1))].toFixed(3);
  console.log(`${label.padEnd(34)} p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  (n=${N})`);
}

await time('redis GET auth:session:<id>', (i) => redis.get(`bench:auth:session:${ids[i % ids.length].toHexString()}`));
await time('mongo findOne({ _id }) sessions', (i) => sessions.findOne({ _id: ids[i % ids.length] }));
await time('mongo findOne({ _id, revokedAt })', (i) => sessions.findOne({ _id: ids[i % ids.length], revokedAt: null }));

await db.dropDatabase();
await redis.del(...ids.map((id) => `bench:auth:session:${id.toHexString()}`));
await mongo.close();
redis.disconnect();
