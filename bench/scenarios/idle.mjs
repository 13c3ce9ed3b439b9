// Goal 3: memory per idle authenticated socket on one api process. RSS is read from /proc after a
// full GC (forced through the inspector: HeapProfiler.collectGarbage) before any socket and again
// after all are connected and a settle period; per socket = (after - before) / sockets.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { root, rssKb, sleep, startInteractive, stop } from '../lib/procs.mjs';
import { collectGarbage, startApi } from '../lib/targets.mjs';
import { createUsers } from '../lib/users.mjs';

async function settledRss(api, ms) {
  await sleep(ms);
  const heap = await collectGarbage(api.inspectPort);
  await sleep(1000);
  return { rss: rssKb(api.child.pid), heap };
}

/**
 * BENCH_HEAP_SNAPSHOT=<file prefix>: writes `<prefix>-before.heapsnapshot` and `-after` (DevTools
 * "Comparison", or bench/lib/heap-diff.mjs for object counts per socket) to find what a socket retains.
 */
async function heapSnapshot(inspectPort, file) {
  const [target] = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const out = createWriteStream(file);
  await new Promise((resolve) => {
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.method === 'HeapProfiler.addHeapSnapshotChunk') out.write(m.params.chunk);
      else if (m.id === 1) resolve();
    };
    ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.takeHeapSnapshot', params: { reportProgress: false } }));
  });
  ws.close();
  await new Promise((resolve) => out.end(resolve));
}

export async function run(ctx, opts) {
  const users = await createUsers(ctx.seedCtx, opts.sockets);
  const api = await startApi(ctx.apiEnv, { inspect: true });
  // Warm the paths a connection takes (handshake, presence) so lazily built code is in the baseline.
  const warm = startInteractive(join(root, 'bench/idle.mjs'), { url: api.url, users: users.slice(0, 20), concurrency: 20 });
  await warm.next();
  warm.send('close');
  await warm.next();
  const before = await settledRss(api, 3000);
  const snapshot = process.env.BENCH_HEAP_SNAPSHOT;
  if (snapshot) await heapSnapshot(api.inspectPort, `${snapshot}-before.heapsnapshot`);
  const client = startInteractive(
    join(root, 'bench/idle.mjs'),
    { url: api.url, users, concurrency: 200 },
    { nodeArgs: ['--max-old-space-size=4096'] },
  );
  const opened = await client.next();
  ctx.log(`idle: ${opened.connected} sockets in ${opened.connectMs} ms (${opened.failed} failed)`);
  const after = await settledRss(api, opts.settleMs ?? 10_000);
  if (snapshot) await heapSnapshot(api.inspectPort, `${snapshot}-after.heapsnapshot`);
  client.send('close');
  const closed = await client.next();
  await stop(api.child);
  const perSocket = opened.connected ? (after.rss - before.rss) / opened.connected : NaN;
  const heapPerSocket = opened.connected && after.heap ? (after.heap - before.heap) / 1024 / opened.connected : null;
  return {
    sockets: opts.sockets,
    connected: opened.connected,
    failed: opened.failed,
    errors: opened.errors,
    connectMs: opened.connectMs,
    stillConnected: closed.stillConnected,
    rssBeforeMb: Math.round(before.rss / 102.4) / 10,
    rssAfterMb: Math.round(after.rss / 102.4) / 10,
    heapBeforeMb: before.heap ? Math.round(before.heap / 104857.6) / 10 : null,
    heapAfterMb: after.heap ? Math.round(after.heap / 104857.6) / 10 : null,
    heapKbPerSocket: heapPerSocket === null ? null : Math.round(heapPerSocket * 10) / 10,
    kbPerSocket: Math.round(perSocket * 10) / 10,
    clientRssMb: opened.clientRssMb,
  };
}
