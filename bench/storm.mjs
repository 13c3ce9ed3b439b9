// Reconnect storm, client side (its own process, pinned to the load CPU). Phases, one per command:
// connect every client; `drop`: close them all at once; `reconnect`: open them all again at once
// (up to `concurrency` handshakes in flight) and send `chat:sync` with the last seq each client held.
// Each client must get exactly the messages after its cursor, in seq order, once.
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { io } from 'socket.io-client';
import { interactiveJob } from './lib/procs.mjs';

const { job, nextCommand, reply } = await interactiveJob();

function open(client) {
  const socket = io(job.url, {
    auth: { token: client.token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 60_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

async function pool(items, concurrency, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

let sockets = new Array(job.clients.length);
await pool(job.clients, 200, async (c, i) => (sockets[i] = await open(c)));
reply({ connected: sockets.filter(Boolean).length });

await nextCommand(); // drop
for (const s of sockets) s.close();
sockets = new Array(job.clients.length);
reply({ dropped: job.clients.length });

await nextCommand(); // reconnect
const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000, numberOfSignificantValueDigits: 3 });
const t0 = performance.now();
const outcome = { synced: 0, lost: 0, duplicated: 0, outOfOrder: 0, failed: 0, errors: {} };
let last = 0;
await pool(job.clients, job.concurrency, async (c, i) => {
  try {
    const socket = await open(c);
    sockets[i] = socket;
    const ack = await new Promise((resolve) => socket.emit('chat:sync', { cursors: { [c.chatId]: c.cursor } }, resolve));
    if (!ack?.ok) throw new Error(ack?.error?.code ?? 'sync refused');
    const chat = ack.data.chats.find((x) => x.chatId === c.chatId);
    const seqs = (chat?.messages ?? []).map((m) => m.seq);
    const expected = [];
    for (let s = c.cursor + 1; s <= c.expectSeq; s++) expected.push(s);
    const got = new Set(seqs);
    outcome.lost += expected.filter((s) => !got.has(s)).length;
    outcome.duplicated += seqs.length - got.size;
    if (seqs.some((s, k) => k > 0 && s <= seqs[k - 1])) outcome.outOfOrder += 1;
    outcome.synced += 1;
    const at = performance.now() - t0;
    last = Math.max(last, at);
    hist.recordValue(Math.max(1, Math.round(at)));
  } catch (err) {
    outcome.failed += 1;
    const code = String(err?.message ?? err);
    outcome.errors[code] = (outcome.errors[code] ?? 0) + 1;
  }
});
for (const s of sockets) s?.close();
reply({ ...outcome, syncedMs: Math.round(last), p50Ms: hist.getValueAtPercentile(50), p99Ms: hist.getValueAtPercentile(99) });
process.exit(0);
