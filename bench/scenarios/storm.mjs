// Goal 4: reconnect storm. `clients` users (clients/2 chats) hold `held` messages each; all are
// dropped at once; `waiting` more messages per chat are stored meanwhile; all reconnect at once with
// `chat:sync`. Pass: every client synced, nothing lost or duplicated, the last one within `boundMs`.
// With `--profile` the api's CPU is profiled (inspector Profiler) during the reconnect phase only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, startInteractive, stop } from '../lib/procs.mjs';
import { summariseProfile } from '../lib/profile.mjs';
import { startApi } from '../lib/targets.mjs';
import { createChats, createUsers, seedMessages } from '../lib/users.mjs';
import { pairUp } from './throughput.mjs';

/** A Chrome DevTools protocol session on the api's inspector port: `call(method, params)`. */
async function inspector(port) {
  const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    pending.get(m.id)?.(m.result);
    pending.delete(m.id);
  };
  return {
    call: (method, params = {}) =>
      new Promise((resolve) => {
        pending.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** What the api logged at error level (pino JSON on stdout), counted by message and error text. */
function collectErrors(child) {
  const counts = new Map();
  let buffer = '';
  child.stdout.on('data', (d) => {
    buffer += d;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (!line.includes('"level":50')) continue;
      try {
        const entry = JSON.parse(line);
        const key = `${entry.msg}: ${entry.err?.type ?? ''} ${String(entry.err?.message ?? '').slice(0, 160)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      } catch {
        // not a log line
      }
    }
  });
  return counts;
}

export async function run(ctx, opts) {
  const profile = process.argv.includes('--profile');
  const t = Date.now();
  const users = await createUsers(ctx.seedCtx, opts.clients);
  const chats = await createChats(ctx.db, pairUp(users));
  const held = await seedMessages(ctx.db, chats, opts.held, { tag: 'held' });
  ctx.log(`storm: ${users.length} users, ${chats.length} chats, ${opts.held} messages each seeded in ${Date.now() - t} ms`);
  const api = await startApi(ctx.apiEnv, { inspect: profile });
  const apiErrors = collectErrors(api.child);
  const clients = chats.flatMap((c) =>
    [c.a, c.b].map((u) => ({ token: u.token, chatId: c.chatId, cursor: held[c.chatId], expectSeq: held[c.chatId] + opts.waiting })),
  );
  const storm = startInteractive(
    join(root, 'bench/storm.mjs'),
    { url: api.url, clients, concurrency: clients.length },
    { nodeArgs: ['--max-old-space-size=4096'] },
  );
  const { connected } = await storm.next();
  ctx.log(`storm: ${connected} connected; dropping all`);
  storm.send('drop');
  await storm.next();
  const tWaiting = Date.now();
  await seedMessages(ctx.db, chats, opts.waiting, { from: held, tag: 'waiting' });
  ctx.log(`storm: ${opts.waiting} messages per chat waiting (stored in ${Date.now() - tWaiting} ms); reconnecting all at once`);
  const session = profile ? await inspector(api.inspectPort) : null;
  if (session) {
    await session.call('Profiler.enable');
    await session.call('Profiler.setSamplingInterval', { interval: 1000 });
    await session.call('Profiler.start');
  }
  storm.send('reconnect');
  const r = await storm.next();
  let summary;
  if (session) {
    const { profile: cpuProfile } = await session.call('Profiler.stop');
    session.close();
    const dir = join(root, 'bench/results', `storm-prof-${ctx.id}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'storm.cpuprofile'), JSON.stringify(cpuProfile));
    summary = summariseProfile(dir, 25);
  }
  await stop(api.child);
  const pass = r.synced === clients.length && r.lost === 0 && r.duplicated === 0 && r.outOfOrder === 0 && r.syncedMs <= opts.boundMs;
  return {
    clients: clients.length,
    held: opts.held,
    waiting: opts.waiting,
    ...r,
    pass,
    apiErrors: Object.fromEntries(apiErrors),
    ...(summary ? { profile: summary } : {}),
  };
}
