// `npm run soak [-- --minutes=30 --sockets=200 --rate=20]`: a long run that looks for leaks and drift,
// not for peak throughput. Starts the compiled api (.tools/bench-dist, its own database and Redis prefix)
// and the worker, connects `sockets` sockets (half senders, half receivers, in pairs), then for
// `minutes` offers `rate` chat:send per second with receipts (the receiver acks message:delivered and
// message:seen), typing on every fifth send, and presence churn (a few sockets close and reconnect every
// 10 s). Every 10 s it samples the api's RSS (/proc), event-loop lag and queue depths (/metrics) and keeps
// ack latencies per minute. It prints the slopes (least squares, per minute) of RSS and lag, p99 per
// minute and the largest queue depth, and writes bench/results/soak.json. Not part of CI.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { io } from 'socket.io-client';
import { call, makePair } from './setup.mjs';
import { deleteKeys } from './lib/scope.mjs';

const root = new URL('..', import.meta.url).pathname;
const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const minutes = Number(arg('minutes', '30'));
const socketCount = Number(arg('sockets', '200'));
const rate = Number(arg('rate', '20'));
/** How often every user rotates its tokens (below the 15-minute access-token lifetime). */
const refreshMinutes = Number(arg('refresh-minutes', '10'));
const out = resolve(root, arg('out', 'bench/results/soak.json'));
const { MONGODB_URI, REDIS_URL } = process.env;
if (!MONGODB_URI || !REDIS_URL) throw new Error('MONGODB_URI and REDIS_URL must be set (run through `npm run soak`)');

const id = randomBytes(4).toString('hex');
const prefix = `soak_${id}`;
const mongoUri = new URL(MONGODB_URI);
mongoUri.pathname = `/${prefix}`;
const children = [];
const log = (line) => process.stderr.write(`soak: ${line}\n`);

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer().once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function start(entry, env) {
  const proc = spawn(process.execPath, [join(root, entry)], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(proc);
  return proc;
}

function connect(url, token) {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
  return new Promise((ok, fail) => {
    socket.once('connect', () => ok(socket));
    socket.once('connect_error', (err) => fail(new Error(`connect: ${err.message}`)));
  });
}

const rss = (pid) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function scrape(url) {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  const lag =
    Number(/^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text)?.[1] ?? /^nodejs_eventloop_lag_seconds (\S+)$/m.exec(text)?.[1] ?? 0) *
    1000;
  let queued = 0;
  for (const m of text.matchAll(/^bullmq_queue_jobs\{[^}]*state="(waiting|active|delayed)"[^}]*\} (\S+)$/gm)) queued += Number(m[2]);
  return { lagMs: lag, queued };
}

/** Least-squares slope of y over x (x in minutes). */
function slope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den ? num / den : 0;
}

const p99 = (values) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]);
};

async function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const mongo = new MongoClient(mongoUri.toString());
  await mongo
    .db()
    .dropDatabase()
    .catch(() => {});
  await mongo.close();
  const redis = new Redis(REDIS_URL);
  await deleteKeys(redis, prefix);
  await redis.quit();
}

try {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // NODE_ENV=test only for the OTP test delivery (users sign in through the real routes).
  const env = {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: mongoUri.toString(),
    REDIS_URL,
    REDIS_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    CORS_ORIGINS: '*',
    LOG_LEVEL: 'warn',
    SOCKET_RATE_LIMIT_EVENTS: '1000000',
  };
  const api = start('.tools/bench-dist/src/main.js', env);
  start('.tools/bench-dist/src/worker.js', env);
  for (
    let i = 0;
    !(await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  ) {
    if (i > 150) throw new Error('api not ready');
    await new Promise((r) => setTimeout(r, 200));
  }
  const redis = new Redis(REDIS_URL);
  const pairs = [];
  for (let i = 0; i < socketCount / 2; i++) pairs.push(await makePair(url, redis, prefix));
  await redis.quit();
  const peers = await Promise.all(
    pairs.map(async (p) => {
      const [sender, receiver] = await Promise.all([connect(url, p.sender.token), connect(url, p.receiver.token)]);
      return { chatId: p.chatId, senderUser: p.sender, receiverUser: p.receiver, sender, receiver };
    }),
  );
  log(`${peers.length * 2} sockets connected; ${minutes} min at ${rate} msg/s`);

  // Receipts: the receiver acknowledges each message as delivered, then seen.
  const wireReceipts = (peer) =>
    peer.receiver.on('chat:receive', (m) => {
      peer.receiver.emit('message:delivered', { chatId: m.chatId, upToSeq: m.seq }, () => {});
      peer.receiver.emit('message:seen', { chatId: m.chatId, upToSeq: m.seq }, () => {});
    });
  peers.forEach(wireReceipts);

  // Access tokens expire (JWT_ACCESS_TTL_SECONDS, 15 min by default): like the app, every user rotates
  // its refresh token (POST /auth/refresh) well before that and hands the new access token to its open
  // socket (`auth:refresh`); churned receivers reconnect with the newest token.
  let refreshed = 0;
  let refreshFailed = 0;
  const refreshOne = async (user, socketOf) => {
    try {
      const tokens = await call(url, 'POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } });
      user.token = tokens.accessToken;
      user.refreshToken = tokens.refreshToken;
      // A receiver churned meanwhile reconnects with the new token instead.
      const socket = socketOf();
      if (socket.connected) await socket.timeout(10_000).emitWithAck('auth:refresh', { accessToken: tokens.accessToken });
      refreshed++;
    } catch (err) {
      refreshFailed++;
      log(`token refresh failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const refresher = setInterval(() => {
    for (const peer of peers) {
      void refreshOne(peer.senderUser, () => peer.sender);
      void refreshOne(peer.receiverUser, () => peer.receiver);
    }
  }, refreshMinutes * 60_000);

  let sent = 0;
  let acked = 0;
  let failed = 0;
  /** Why sends failed: the ack's error code, or `timeout` when no ack came within 10 s. */
  const failedBy = {};
  const started = performance.now();
  const latencies = []; // per minute: ack latencies in ms
  const samples = [];
  const interval = 1000 / rate;
  const endAt = started + minutes * 60_000;
  const sender = setInterval(() => {
    const peer = peers[sent % peers.length];
    const t0 = performance.now();
    const minute = Math.floor((t0 - started) / 60_000);
    const n = sent++;
    if (n % 5 === 0) peer.sender.emit('chat:typing', { chatId: peer.chatId, typing: true }, () => {});
    peer.sender
      .timeout(10_000)
      .emit('chat:send', { chatId: peer.chatId, clientMessageId: `soak-${id}-${n}`, text: `soak ${n}` }, (err, ack) => {
        if (err || !ack?.ok) {
          const code = err ? 'timeout' : (ack?.error?.code ?? 'unknown');
          failedBy[code] = (failedBy[code] ?? 0) + 1;
          return void failed++;
        }
        acked++;
        (latencies[minute] ??= []).push(performance.now() - t0);
      });
  }, interval);
  // Presence churn: a few receivers leave and come back every 10 s.
  const churn = setInterval(async () => {
    for (const peer of peers
      .slice(0, 5)
      .map((_, i) => peers[(Math.floor((performance.now() - started) / 10_000) * 5 + i) % peers.length])) {
      peer.receiver.close();
      peer.receiver = await connect(url, peer.receiverUser.token).catch(() => peer.receiver);
      wireReceipts(peer);
    }
  }, 10_000);
  const sampler = setInterval(async () => {
    const { lagMs, queued } = await scrape(url).catch(() => ({ lagMs: NaN, queued: NaN }));
    samples.push({ minute: (performance.now() - started) / 60_000, rssMb: rss(api.pid), lagMs, queued });
  }, 10_000);
  while (performance.now() < endAt) await new Promise((r) => setTimeout(r, 1000));
  clearInterval(sender);
  clearInterval(churn);
  clearInterval(refresher);
  await new Promise((r) => setTimeout(r, 5000)); // drain the last acks
  clearInterval(sampler);
  for (const p of peers) {
    p.sender.close();
    p.receiver.close();
  }

  const steady = samples.filter((s) => s.minute >= Math.min(1, minutes / 3)); // skip warm-up
  const result = {
    at: new Date().toISOString(),
    node: process.version,
    minutes,
    sockets: peers.length * 2,
    rate,
    sent,
    acked,
    failed,
    failedBy,
    tokenRefreshes: { done: refreshed, failed: refreshFailed },
    rssMb: {
      first: samples[0]?.rssMb,
      last: samples.at(-1)?.rssMb,
      slopePerMinute: +slope(steady.map((s) => ({ x: s.minute, y: s.rssMb }))).toFixed(3),
    },
    lagMs: {
      max: Math.max(...samples.map((s) => s.lagMs)),
      slopePerMinute: +slope(steady.map((s) => ({ x: s.minute, y: s.lagMs }))).toFixed(4),
    },
    ackP99MsPerMinute: latencies.map((l) => p99(l ?? [])),
    maxQueued: Math.max(...samples.map((s) => s.queued)),
    samples,
  };
  console.log(JSON.stringify({ ...result, samples: undefined }, null, 2));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log(`results written to ${out}`);
} finally {
  await cleanup();
}
