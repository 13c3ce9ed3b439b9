// Goal 2: latency at moderate load. `rate` msg/s spread over `users` connected users (users/2 chats,
// receipts and typing in the mix), one fixed step, on one api process and on the relay; the api's
// deliver p99 must stay within 4x the relay's at the same rate.
import { join } from 'node:path';
import { runJob, root, stop } from '../lib/procs.mjs';
import { startApi, startRelay } from '../lib/targets.mjs';
import { createChats, createUsers } from '../lib/users.mjs';
import { pairUp, relayChats } from './throughput.mjs';

export async function run(ctx, opts) {
  const users = await createUsers(ctx.seedCtx, opts.users);
  const chats = await createChats(ctx.db, pairUp(users));
  const base = {
    steps: [opts.rate],
    stepMs: opts.stepMs,
    drainMs: 5000,
    boundP99Ms: 1e9,
    receipts: true,
    typingEvery: 20,
    connectConcurrency: 50,
  };
  const targets = {};
  const relay = await startRelay();
  const ru = users.map((u) => ({ userId: u.userId, token: u.userId }));
  const r = await runJob(join(root, 'bench/load.mjs'), {
    ...base,
    target: 'relay',
    driver: 'socket.io',
    urls: [relay.url],
    users: ru,
    chats: relayChats(ru),
    tag: `lat-relay-${ctx.id}`,
  });
  targets.relay = r.steps[0];
  await stop(relay.child);
  const api = await startApi(ctx.apiEnv);
  const a = await runJob(join(root, 'bench/load.mjs'), {
    ...base,
    target: 'api',
    driver: 'socket.io',
    urls: [api.url],
    users,
    chats,
    tag: `lat-api-${ctx.id}`,
  });
  targets.api = a.steps[0];
  await stop(api.child);
  const complete = targets.api.delivered === targets.api.sent && targets.api.acked === targets.api.sent;
  return { rate: opts.rate, users: opts.users, targets, ratio: targets.api.deliverP99Ms / targets.relay.deliverP99Ms, complete };
}
