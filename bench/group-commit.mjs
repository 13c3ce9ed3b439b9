// Group commit in isolation: `senders` concurrent sends, each storing one message after another
// through the compiled MessageBatchWriter (the api's own code, .tools/bench-dist) for `seconds`, once per
// window (0 = one insertOne per send, as before group commit), alternating, `rounds` times. Prints
// stored messages/s and the p50/p99 time a send waits for its store, per window and round.
// Bounded, loopback only. Usage (after `npm run bench` built .tools/bench-dist, or `nest build --path
// bench/tsconfig.build.json`):
//   MONGODB_URI=mongodb://127.0.0.1:27017/ node bench/group-commit.mjs [--windows=0,1] [--senders=200]
//     [--seconds=5] [--rounds=2] [--max-docs=256]
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MongoClient, ObjectId } from 'mongodb';
import { messageDoc } from './lib/users.mjs';

const { MessageBatchWriter } = await import('../.tools/bench-dist/src/modules/chat/message-batch-writer.js');
const { MessageRepository } = await import('../.tools/bench-dist/src/modules/chat/message.repository.js');

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const windows = arg('windows', '0,1').split(',').map(Number);
const senders = Number(arg('senders', 200));
const seconds = Number(arg('seconds', 5));
const rounds = Number(arg('rounds', 2));
const maxDocs = Number(arg('max-docs', 256));
const uri = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/');
uri.pathname = `/bench_group_commit_${randomBytes(4).toString('hex')}`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

const client = new MongoClient(uri.toString());
const db = client.db();
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function measure(windowMs, round) {
  const collection = db.collection(`messages_w${windowMs}_r${round}`);
  await collection.createIndex({ chatId: 1, seq: 1 }, { unique: true });
  await collection.createIndex({ senderId: 1, clientMessageId: 1 }, { unique: true });
  // The repository only uses the model's native collection on these paths.
  const writer = new MessageBatchWriter(new MessageRepository({ collection }), { chat: { commit: { windowMs, maxDocs } } });
  const waits = [];
  let failed = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      const chatId = new ObjectId().toHexString();
      const senderId = new ObjectId().toHexString();
      for (let seq = 1; performance.now() < end; seq++) {
        const started = performance.now();
        try {
          await writer.insert(messageDoc(chatId, senderId, seq, `gc-${s}-${seq}`));
          waits.push(performance.now() - started);
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  await writer.onModuleDestroy();
  const stored = await collection.countDocuments();
  await collection.drop();
  waits.sort((a, b) => a - b);
  return {
    windowMs,
    round,
    stored,
    failed,
    perSecond: Math.round(stored / elapsed),
    waitP50Ms: Math.round(pct(waits, 50) * 10) / 10,
    waitP99Ms: Math.round(pct(waits, 99) * 10) / 10,
  };
}

const rows = [];
process.stderr.write(`group-commit: ${senders} senders, ${seconds} s per run, max docs ${maxDocs}; load average ${load()}\n`);
try {
  for (let round = 1; round <= rounds; round++) {
    for (const w of windows) {
      const row = await measure(w, round);
      rows.push(row);
      process.stderr.write(`group-commit: ${JSON.stringify(row)} (load average ${load()})\n`);
    }
  }
} finally {
  await db.dropDatabase().catch(() => {});
  await client.close();
}
console.log('| window ms | round | stored/s | send wait p50 ms | p99 ms | failed |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.windowMs} | ${r.round} | ${r.perSecond} | ${r.waitP50Ms} | ${r.waitP99Ms} | ${r.failed} |`);
console.log(`load average after: ${load()}`);
