// `npm run bench`: the first load harness. Starts the compiled api (.tools/bench-dist; one process, its own database and
// Redis prefix on the local FerretDB and Redis) and the bare relay (bench/relay.mjs), then for each
// offered rate runs the load generator (bench/load.mjs, its own process) against both, and prints the
// results side by side with the ratio api/relay. Loopback only, bounded: `seconds` per rate and target.
// Usage: node bench/run.mjs [--rates=25,50,100,150,200] [--seconds=10] [--pairs=20] [--out=bench/results/chat.json]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { makePair } from './setup.mjs';

const root = new URL('..', import.meta.url).pathname;
const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const rates = arg('rates', '25,50,100,150,200').split(',').map(Number);
const seconds = Number(arg('seconds', '10'));
const pairCount = Number(arg('pairs', '20'));
const out = resolve(root, arg('out', 'bench/results/chat.json'));
const { MONGODB_URI, REDIS_URL } = process.env;
if (!MONGODB_URI || !REDIS_URL) throw new Error('MONGODB_URI and REDIS_URL must be set (run through `npm run bench`)');

const id = randomBytes(4).toString('hex');
const prefix = `bench_${id}`;
const mongoUri = new URL(MONGODB_URI);
mongoUri.pathname = `/${prefix}`;
const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function start(args, env, ready) {
  const proc = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let output = '';
  if (!ready) {
    proc.stderr.on('data', (d) => process.stderr.write(d));
    return Promise.resolve(proc);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} not ready in 30 s:\n${output}`)), 30_000);
    const onData = (d) => {
      output += d;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(proc);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`${args[0]} exited (${code}):\n${output}`)));
  });
}

function runLoad(job) {
  const proc = spawn(process.execPath, [join(root, 'bench/load.mjs')], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(proc);
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stdin.end(JSON.stringify(job));
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output.trim().split('\n').at(-1))) : reject(new Error(`load exited ${code}: ${output}`)),
    );
  });
}

async function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const mongo = new MongoClient(mongoUri.toString());
  await mongo
    .db()
    .dropDatabase()
    .catch(() => {});
  await mongo.close();
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

try {
  const [apiPort, relayPort] = await Promise.all([freePort(), freePort()]);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const relayUrl = `http://127.0.0.1:${relayPort}`;
  // NODE_ENV=test only for the OTP test delivery (bench users sign in through the real routes).
  const apiEnv = {
    NODE_ENV: 'test',
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    MONGODB_URI: mongoUri.toString(),
    REDIS_URL,
    REDIS_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    CORS_ORIGINS: '*',
    LOG_LEVEL: 'warn',
    SOCKET_RATE_LIMIT_EVENTS: '1000000',
  };
  process.stderr.write(`bench: starting api on ${apiUrl} and relay on ${relayUrl}\n`);
  await start([join(root, 'bench/relay.mjs'), String(relayPort)], {}, /relay listening/);
  await start([join(root, '.tools/bench-dist/src/main.js')], apiEnv, null);
  for (let i = 0; ; i++) {
    const ok = await fetch(`${apiUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 150) throw new Error('api not ready');
    await new Promise((r) => setTimeout(r, 200));
  }
  const redis = new Redis(REDIS_URL);
  const apiPairs = [];
  for (let i = 0; i < pairCount; i++) apiPairs.push(await makePair(apiUrl, redis, prefix));
  await redis.quit();
  const relayPairs = Array.from({ length: pairCount }, (_, i) => {
    const [a, b] = [`sender${i}`, `receiver${i}`];
    return { chatId: `${a}:${b}`, sender: { token: a }, receiver: { token: b } };
  });
  process.stderr.write(`bench: ${pairCount} pairs ready; ${rates.length} rates x ${seconds} s x 2 targets\n`);

  const rows = [];
  for (const rate of rates) {
    const base = { rate, durationMs: seconds * 1000, drainMs: 5000 };
    const relay = await runLoad({ ...base, url: relayUrl, pairs: relayPairs, tag: `relay-${id}-${rate}` });
    const api = await runLoad({ ...base, url: apiUrl, pairs: apiPairs, tag: `api-${id}-${rate}` });
    rows.push({ rate, api, relay });
    process.stderr.write(`bench: ${rate}/s done (api acked ${api.ackedPerSec}/s, p99 deliver ${api.deliverP99Ms} ms)\n`);
  }

  const ratio = (a, b) => (b ? (a / b).toFixed(2) : 'n/a');
  const table = [
    '| offered/s | target | acked/s | delivered/s | failed | late | ack p50 ms | ack p99 ms | deliver p50 ms | deliver p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { rate, api, relay } of rows) {
    for (const [name, r] of [
      ['relay (in-memory)', relay],
      ['api (FerretDB)', api],
    ]) {
      table.push(
        `| ${rate} | ${name} | ${r.ackedPerSec} | ${r.deliveredPerSec} | ${r.failed} | ${r.late} | ${r.ackP50Ms} | ${r.ackP99Ms} | ${r.deliverP50Ms} | ${r.deliverP99Ms} |`,
      );
    }
    table.push(
      `| ${rate} | **ratio api/relay** | ${ratio(api.ackedPerSec, relay.ackedPerSec)} | ${ratio(api.deliveredPerSec, relay.deliveredPerSec)} | | | ` +
        `${ratio(api.ackP50Ms, relay.ackP50Ms)} | ${ratio(api.ackP99Ms, relay.ackP99Ms)} | ${ratio(api.deliverP50Ms, relay.deliverP50Ms)} | ${ratio(api.deliverP99Ms, relay.deliverP99Ms)} |`,
    );
  }
  console.log(table.join('\n'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, pairs: pairCount, seconds, rows }, null, 2)}\n`,
  );
  process.stderr.write(`bench: results written to ${out}\n`);
} finally {
  await cleanup();
}
