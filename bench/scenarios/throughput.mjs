// Goal 1: the highest offered rate of 1-1 messages fully stored, acked and delivered (receipts and a
// little typing in the mix) with deliver p99 <= 50 ms and no growing backlog, for: the api (one
// process; two behind the Redis adapter, sender and recipient on different processes), the bare relay,
// Centrifugo, and the datastore's own batched-insert ceiling.
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { runJob, root, stop } from '../lib/procs.mjs';
import { startApi, startCentrifugo, startRelay } from '../lib/targets.mjs';
import { createChats, createUsers } from '../lib/users.mjs';
import { summariseProfile } from '../lib/profile.mjs';

export const BOUND_P99_MS = 50;

export async function centrifugoUsers(secret, users) {
  const key = new TextEncoder().encode(secret);
  return Promise.all(
    users.map(async (u) => ({
      userId: u.userId,
      token: await new SignJWT({ sub: u.userId }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('4h').sign(key),
    })),
  );
}

/** users[2k], users[2k+1] -> chat k, as the load generator expects. */
export function pairUp(users) {
  const pairs = [];
  for (let i = 0; i + 1 < users.length; i += 2) pairs.push([users[i], users[i + 1]]);
  return pairs;
}

export const relayChats = (users) => pairUp(users).map(([a, b]) => ({ chatId: `${a.userId}:${b.userId}`, a, b }));
const relayUsers = (users) => users.map((u) => ({ userId: u.userId, token: u.userId }));

/** Runs the step job against every target; returns { targets: { name: result }, ceiling }. */
export async function run(ctx, opts) {
  const { db, apiEnv, log } = ctx;
  const users = await createUsers(ctx.seedCtx, opts.pairs * 2);
  const chats = await createChats(db, pairUp(users));
  const base = {
    steps: opts.steps,
    stepMs: opts.stepMs,
    drainMs: opts.drainMs,
    boundP99Ms: BOUND_P99_MS,
    receipts: true,
    typingEvery: 20,
    warmupMs: 3000,
    // --all-steps: saturated steps too (what a change does beyond the sustained rate: acked, p99).
    stopAfterFail: !opts.allSteps,
  };
  const targets = {};
  const only = (name) => !opts.targets || opts.targets.includes(name);
  // One target failing (a peer that does not start, a generator crash) leaves the others' results.
  const guarded = async (name, fn) => {
    if (!only(name)) return;
    try {
      await fn();
    } catch (err) {
      log(`throughput ${name} failed: ${err.stack ?? err}`);
      targets[name] = { error: String(err.message ?? err).slice(0, 300), steps: [] };
    }
  };

  await guarded('relay', async () => {
    const relay = await startRelay();
    const ru = relayUsers(users);
    targets.relay = await runJob(join(root, 'bench/load.mjs'), {
      ...base,
      target: 'relay',
      driver: 'socket.io',
      urls: [relay.url],
      users: ru,
      chats: relayChats(ru),
      tag: `relay-${ctx.id}`,
    });
    await stop(relay.child);
  });
  await guarded('api', async () => {
    const profileDir = opts.profile ? join(root, 'bench/results', `cpu-prof-${ctx.id}`) : null;
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const api = await startApi(apiEnv, { nodeArgs });
    targets.api = await runJob(join(root, 'bench/load.mjs'), {
      ...base,
      target: 'api',
      driver: 'socket.io',
      urls: [api.url],
      users,
      chats,
      tag: `api1-${ctx.id}`,
    });
    await stop(api.child, 15_000);
    if (profileDir) ctx.profile = summariseProfile(profileDir, 25);
  });
  await guarded('api2', async () => {
    const apis = [await startApi(apiEnv), await startApi(apiEnv)];
    targets.api2 = await runJob(join(root, 'bench/load.mjs'), {
      ...base,
      target: 'api x2',
      driver: 'socket.io',
      urls: apis.map((a) => a.url),
      users,
      chats,
      tag: `api2-${ctx.id}`,
    });
    await Promise.all(apis.map((a) => stop(a.child)));
  });
  await guarded('centrifugo', async () => {
    const cf = await startCentrifugo();
    const cu = await centrifugoUsers(cf.secret, users);
    const cchats = pairUp(cu).map(([a, b], k) => ({ chatId: chats[k].chatId, a, b }));
    targets.centrifugo = await runJob(join(root, 'bench/load.mjs'), {
      ...base,
      target: 'centrifugo',
      driver: 'centrifuge',
      urls: [cf.url],
      users: cu,
      chats: cchats,
      tag: `cf-${ctx.id}`,
    });
    await stop(cf.child);
  });
  log('datastore ceiling');
  const ceiling = await runJob(join(root, 'bench/ceiling.mjs'), {
    mongoUri: ctx.mongoUri,
    documents: opts.ceilingDocs,
    batch: 1000,
    concurrency: 4,
  });
  return { targets, ceiling, pairs: opts.pairs, steps: opts.steps, stepMs: opts.stepMs };
}
