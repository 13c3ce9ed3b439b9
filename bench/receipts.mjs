// Receipts alone, against one api process: `--pairs` chats seeded with `--messages` messages each; every
// recipient answers `message:delivered` for each seq and `message:seen` for every second one, all
// chats at once, as fast as the acks come back (each socket keeps `--window` receipts in flight).
// Prints receipts/s and ack latency, then checks the stored markers (every chat at its last seq).
// `--seq-key=1` also writes each chat's last seq where the Redis send path keeps it
// (`<prefix>:chat:<id>:seq`), as it will be once that path is in: receipts then read no chat document.
//
//   npx nest build --path bench/tsconfig.build.json   # the api into .tools/bench-dist
//   MONGODB_URI=mongodb://127.0.0.1:27017 REDIS_URL=redis://127.0.0.1:6379 node bench/receipts.mjs [--pairs=20 --messages=100 --window=8]
import { performance } from 'node:perf_hooks';
import { ObjectId } from 'mongodb';
import { killAll } from './lib/procs.mjs';
import { JWT_ISSUER, startApi, TOKEN_TTL_SECONDS } from './lib/targets.mjs';
import { createChats, createUsers, seedMessages } from './lib/users.mjs';
import { benchScope, connectSocket } from './lib/scope.mjs';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const [pairs, messages, window, seqKey] = [arg('pairs', 20), arg('messages', 100), arg('window', 8), arg('seq-key', 0)];
const { prefix, redis, db, env, dispose } = benchScope('bench_rcpt');

const connect = connectSocket;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

try {
  const users = await createUsers(
    { db, redis, prefix, secret: env.JWT_SECRET, issuer: JWT_ISSUER, ttlSeconds: TOKEN_TTL_SECONDS },
    pairs * 2,
  );
  const chats = await createChats(
    db,
    Array.from({ length: pairs }, (_, i) => [users[2 * i], users[2 * i + 1]]),
  );
  await seedMessages(db, chats, messages);
  if (seqKey) for (const c of chats) await redis.set(`${prefix}:chat:${c.chatId}:seq`, String(messages));
  const api = await startApi(env);
  const sockets = await Promise.all(chats.map((c) => connect(api.url, c.b.token)));
  const latencies = [];
  let failed = 0;
  const errors = {};
  const t0 = performance.now();
  await Promise.all(
    chats.map(async (chat, i) => {
      const receipts = [];
      for (let seq = 1; seq <= messages; seq++) {
        receipts.push(['message:delivered', seq]);
        if (seq % 2 === 0) receipts.push(['message:seen', seq]);
      }
      let next = 0;
      await Promise.all(
        Array.from({ length: window }, async () => {
          while (next < receipts.length) {
            const [event, upToSeq] = receipts[next++];
            const start = performance.now();
            const ack = await new Promise((resolve) => sockets[i].emit(event, { chatId: chat.chatId, upToSeq }, resolve));
            latencies.push(performance.now() - start);
            if (!ack.ok) {
              failed += 1;
              errors[ack.error.code] = (errors[ack.error.code] ?? 0) + 1;
            }
          }
        }),
      );
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((x, y) => x - y);
  const stored = await db
    .collection('chats')
    .find({ _id: { $in: chats.map((c) => new ObjectId(c.chatId)) } })
    .toArray();
  const atLast = stored.filter((c) => c.seen?.[chats.find((x) => x.chatId === c._id.toHexString()).b.userId] === messages).length;
  console.log(
    `${latencies.length} receipts (${pairs} chats x ${messages} messages, window ${window}${seqKey ? ', Redis seq key' : ''}) in ${seconds.toFixed(2)} s: ` +
      `${Math.round(latencies.length / seconds)} receipts/s; ack p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms; ` +
      `failed ${failed} ${JSON.stringify(errors)}; chats with seen stored at the last seq: ${atLast}/${pairs}`,
  );
  for (const s of sockets) s.close();
} finally {
  killAll();
  await dispose();
  process.exit(0);
}
