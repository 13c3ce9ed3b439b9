// Goal 4: reconnect storm. `clients` users (clients/2 chats) hold `held` messages each; all are
// dropped at once; `waiting` more messages per chat are stored meanwhile; all reconnect at once with
// `chat:sync`. Pass: every client synced, nothing lost or duplicated, the last one within `boundMs`.
import { join } from 'node:path';
import { root, startInteractive, stop } from '../lib/procs.mjs';
import { startApi } from '../lib/targets.mjs';
import { createChats, createUsers, seedMessages } from '../lib/users.mjs';
import { pairUp } from './throughput.mjs';

export async function run(ctx, opts) {
  const users = await createUsers(ctx.seedCtx, opts.clients);
  const chats = await createChats(ctx.db, pairUp(users));
  const held = await seedMessages(ctx.db, chats, opts.held, { tag: 'held' });
  const api = await startApi(ctx.apiEnv);
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
  await seedMessages(ctx.db, chats, opts.waiting, { from: held, tag: 'waiting' });
  ctx.log('storm: messages waiting; reconnecting all at once');
  storm.send('reconnect');
  const r = await storm.next();
  await stop(api.child);
  const pass = r.synced === clients.length && r.lost === 0 && r.duplicated === 0 && r.outOfOrder === 0 && r.syncedMs <= opts.boundMs;
  return { clients: clients.length, held: opts.held, waiting: opts.waiting, ...r, pass };
}
