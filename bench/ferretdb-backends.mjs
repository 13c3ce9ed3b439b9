// Compares FerretDB's SQLite and PostgreSQL backends on the queries this app makes, so the choice in
// scripts/lib/services.sh rests on numbers. Starts one FerretDB per backend on spare loopback ports
// (the binary built by `npm run services`), runs the same workload on each, prints a table, stops them.
// Usage: node bench/ferretdb-backends.mjs [documents=20000]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';

const N = Number(process.argv[2] ?? 20000);
const root = new URL('..', import.meta.url).pathname;
const bin = readdirSync(join(root, '.tools/ferretdb'))
  .filter((f) => /^ferretdb-v/.test(f) && !f.endsWith('.tmp'))
  .map((f) => join(root, '.tools/ferretdb', f))[0];
if (!bin) throw new Error('no FerretDB binary in .tools/ferretdb: run `npm run services` first');

async function start(backend, port) {
  const state = mkdtempSync(join(tmpdir(), `ferret-${backend}-`));
  const args = [
    `--listen-addr=127.0.0.1:${port}`,
    `--debug-addr=127.0.0.1:${port + 10000}`,
    '--telemetry=disable',
    '--log-level=ERROR',
    `--state-dir=${state}`,
  ];
  if (backend === 'sqlite') args.push('--handler=sqlite', `--sqlite-url=file:${state}/`);
  else {
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', 'drop database if exists ferretdb_bench'], { stdio: 'ignore' });
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', 'create database ferretdb_bench'], { stdio: 'ignore' });
    args.push('--handler=postgresql', '--postgresql-url=postgres://postgres@127.0.0.1:5432/ferretdb_bench');
  }
  const proc = spawn(bin, args, { stdio: 'ignore' });
  for (let i = 0; i < 60; i++) {
    // A fresh client per try: one whose first connection failed does not recover by itself.
    const client = new MongoClient(`mongodb://127.0.0.1:${port}/bench`, { serverSelectionTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return { proc, client, state };
    } catch {
      await client.close();
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  proc.kill('SIGKILL');
  throw new Error(`FerretDB (${backend}) did not start`);
}

async function time(fn, runs = 20) {
  await fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await fn();
  return (performance.now() - t0) / runs;
}

async function workload(client) {
  const db = client.db('bench');
  const messages = db.collection('messages');
  await messages.createIndex({ chatId: 1, seq: -1 });
  const chats = 20;
  const t0 = performance.now();
  for (let i = 0; i < N; i += 1000) {
    await messages.insertMany(
      Array.from({ length: Math.min(1000, N - i) }, (_, j) => ({ chatId: `c${(i + j) % chats}`, seq: i + j, text: 'hello world' })),
    );
  }
  const insertPerSec = N / ((performance.now() - t0) / 1000);
  const one = await messages.findOne({});
  const byId = await time(() => messages.findOne({ _id: one._id }));
  const pageEq = await time(() => messages.find({ chatId: 'c3' }).sort({ seq: -1 }).limit(50).toArray(), 5);
  const counters = db.collection('counters');
  await counters.insertOne({ _id: 'x', n: 0 });
  const t1 = performance.now();
  await Promise.all(Array.from({ length: 500 }, () => counters.findOneAndUpdate({ _id: 'x' }, { $inc: { n: 1 } })));
  const incMs = performance.now() - t1;
  const n = (await counters.findOne({ _id: 'x' })).n;
  await db.dropDatabase();
  return { insertPerSec, byId, pageEq, incMs, n };
}

const rows = [];
for (const [backend, port] of [
  ['postgresql', 47117],
  ['sqlite', 47118],
]) {
  const s = await start(backend, port);
  try {
    rows.push({ backend, ...(await workload(s.client)) });
  } finally {
    await s.client.close();
    s.proc.kill('SIGTERM');
    rmSync(s.state, { recursive: true, force: true });
  }
}
console.log(`FerretDB backends, ${N} messages in 20 chats (ms are means per call)`);
console.log('backend     insert/s   findOne _id   50-msg page by chatId   500 concurrent $inc   counter');
for (const r of rows) {
  console.log(
    `${r.backend.padEnd(11)} ${r.insertPerSec.toFixed(0).padStart(8)}   ${r.byId.toFixed(2).padStart(8)} ms   ${r.pageEq.toFixed(1).padStart(12)} ms          ${r.incMs.toFixed(0).padStart(8)} ms          ${r.n}`,
  );
}
execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', 'drop database if exists ferretdb_bench'], { stdio: 'ignore' });
