// Plain (pub/sub) vs streams Socket.IO Redis adapter, as used between api processes: server A emits to a
// user room, the user's socket is held by server B. Measures one-way latency (sequential), burst
// throughput, and how many events are lost when B's Redis connection drops mid-burst.
// Run: REDIS_URL=redis://127.0.0.1:6379 node bench/realtime-adapter.mjs   (results: docs/realtime.md)
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { createAdapter as createPubSubAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SEQUENTIAL = Number(process.env.SEQUENTIAL ?? 2000);
const BURST = Number(process.env.BURST ?? 20000);
const BLIP = Number(process.env.BLIP ?? 5000);
// The app's setting (libs/realtime/src/redis-io.adapter.ts); the adapter's default is 10000.
const STREAM_MAXLEN = Number(process.env.STREAM_MAXLEN ?? 50_000);

async function startServer(kind, key, clients, name) {
  const http = createServer();
  const opts = { connectionName: name };
  const server = new Server(http, { transports: ['websocket'] });
  if (kind === 'pubsub') {
    const pub = new Redis(REDIS_URL, opts);
    const sub = new Redis(REDIS_URL, opts);
    clients.push(pub, sub);
    server.adapter(createPubSubAdapter(pub, sub, { key }));
  } else {
    const client = new Redis(REDIS_URL, opts); // the adapter duplicates it (same name) for XREAD and pub/sub
    clients.push(client);
    server.adapter(createStreamsAdapter(client, { streamName: key, channelPrefix: key, maxLen: STREAM_MAXLEN, onlyPlaintext: true }));
  }
  server.on('connection', (socket) => socket.join('user:bench'));
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  return { server, http, port: http.address().port };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function run(kind) {
  const log = (m) => process.stderr.write(`${kind}: ${m}\n`);
  const key = `bench-${kind}-${process.pid}`;
  const clients = [];
  const a = await startServer(kind, key, clients, `${key}-a`);
  const b = await startServer(kind, key, clients, `${key}-b`);
  const socket = io(`http://127.0.0.1:${b.port}`, { transports: ['websocket'] });
  await new Promise((r) => socket.on('connect', r));
  await new Promise((r) => setTimeout(r, 500)); // adapters subscribed
  const room = a.server.to('user:bench');
  log('connected');

  // 1. Sequential one-way latency.
  const latencies = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const got = new Promise((r) => socket.once('seq', r));
    const t0 = performance.now();
    room.emit('seq', { i });
    await got;
    latencies.push(performance.now() - t0);
  }
  latencies.sort((x, y) => x - y);
  log('sequential done');

  // 2. Burst throughput.
  let received = 0;
  const done = new Promise((r) =>
    socket.on('burst', () => {
      if (++received === BURST) r();
    }),
  );
  const t0 = performance.now();
  for (let i = 0; i < BURST; i++) room.emit('burst', { i, text: 'hello there' });
  // A subscriber that cannot keep up may be dropped by Redis (client-output-buffer-limit): give up after 20 s.
  await Promise.race([done, new Promise((r) => setTimeout(r, 20_000))]);
  const burstMs = performance.now() - t0;
  const burstReceived = received;
  log('burst done');

  // 3. Redis drops every connection of B (as on a failover or network cut; ioredis reconnects) in the
  // middle of a paced burst: how many events does B's socket miss?
  const admin = new Redis(REDIS_URL);
  clients.push(admin);
  let blipReceived = 0;
  socket.on('blip', () => blipReceived++);
  for (let i = 0; i < BLIP; i++) {
    if (i === Math.floor(BLIP / 2)) {
      const list = String(await admin.client('LIST'));
      for (const line of list.split('\n').filter((l) => l.includes(` name=${key}-b `))) {
        await admin.client('KILL', 'ID', /id=(\d+)/.exec(line)[1]);
      }
    }
    room.emit('blip', { i });
    if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1));
  }
  await new Promise((r) => setTimeout(r, 3000));

  socket.close();
  for (const s of [a, b]) {
    s.server.close();
  }
  await new Promise((r) => setTimeout(r, 200));
  const cleaner = new Redis(REDIS_URL);
  await cleaner.del(key);
  cleaner.disconnect();
  for (const c of clients) c.disconnect();
  return {
    adapter: kind,
    p50_ms: pct(latencies, 50).toFixed(3),
    p99_ms: pct(latencies, 99).toFixed(3),
    max_ms: latencies[latencies.length - 1].toFixed(3),
    burst_events_per_s: Math.round(burstReceived / (burstMs / 1000)),
    burst_received: `${burstReceived} of ${BURST}`,
    lost_on_redis_blip: `${BLIP - blipReceived} of ${BLIP}`,
  };
}

const results = [];
for (const kind of ['pubsub', 'streams']) results.push(await run(kind));
console.table(results);
process.exit(0);
