// How long after a block's response another api process still lets the pair send (the access check is
// cached per process and invalidated through Redis pub/sub, see src/modules/connections/contact-cache.ts).
// Two api processes A and B; for each of `--pairs` connected pairs: a's socket on B sends once (B caches
// "allowed"), b blocks a through A's REST, and from that 201 on a sends through B back to back until it
// is refused `not_connected`. Prints the time from the 201 to the refusal's ack and how many sends were
// still accepted after the 201, over all pairs.
//
//   npx nest build --path bench/tsconfig.build.json   # the api into .tools/bench-dist
//   MONGODB_URI=mongodb://127.0.0.1:27017 REDIS_URL=redis://127.0.0.1:6379 node bench/block-propagation.mjs [--pairs=50]
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { killAll } from './lib/procs.mjs';
import { JWT_ISSUER, startApi, TOKEN_TTL_SECONDS } from './lib/targets.mjs';
import { createChats, createUsers } from './lib/users.mjs';
import { benchScope, connectSocket } from './lib/scope.mjs';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const pairs = arg('pairs', 50);
const { prefix, redis, db, env, dispose } = benchScope('bench_block');

const connect = connectSocket;
const send = (socket, chatId) =>
  new Promise((resolve) =>
    socket.emit('chat:send', { chatId, clientMessageId: randomBytes(8).toString('hex'), text: 'still there?' }, (ack) =>
      resolve(ack.ok ? 'ok' : ack.error.code),
    ),
  );
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
  const [A, B] = [await startApi(env), await startApi(env)];
  const delays = [];
  let acceptedAfter = 0;
  for (const { chatId, a, b } of chats) {
    const socket = await connect(B.url, a.token);
    if ((await send(socket, chatId)) !== 'ok') throw new Error('the first send was refused');
    const res = await fetch(`${A.url}/blocks/${a.userId}`, { method: 'POST', headers: { authorization: `Bearer ${b.token}` } });
    const t0 = performance.now();
    if (res.status !== 201) throw new Error(`block answered ${res.status}`);
    for (let i = 0; ; i++) {
      const code = await send(socket, chatId);
      if (code === 'not_connected') break;
      if (code !== 'ok' || i > 10_000) throw new Error(`send answered ${code} after ${i} sends`);
      acceptedAfter += 1;
    }
    delays.push(performance.now() - t0);
    socket.close();
  }
  delays.sort((x, y) => x - y);
  const ms = (v) => `${v.toFixed(2)} ms`;
  console.log(
    `block -> refused on the other process, ${pairs} pairs: p50 ${ms(pct(delays, 50))}, p99 ${ms(pct(delays, 99))}, max ${ms(delays.at(-1))}; ` +
      `sends still accepted after the 201: ${acceptedAfter}`,
  );
} finally {
  killAll();
  await dispose();
  process.exit(0);
}
