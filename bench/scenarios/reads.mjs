// Goal 5: reads. `users` users, each in `chatsPerUser` chats (users * chatsPerUser / 2 chats) of
// `messagesPerChat` messages (default 200 users, 1,000 chats, 100,000 messages), plus one chat of
// `bigChatMessages` (20,000). autocannon at `rate` req/s: `GET /chats` (each request as the next user)
// and a 50-message page `GET /chats/:id/messages?limit=50` (the next chat), both p99 <= 20 ms; then
// the same page of the big chat (reported).
import { join } from 'node:path';
import { runJob, root, stop } from '../lib/procs.mjs';
import { summariseProfile } from '../lib/profile.mjs';
import { startApi } from '../lib/targets.mjs';
import { createChats, createUsers, seedMessages, verifySeed } from '../lib/users.mjs';

export async function run(ctx, opts) {
  const users = await createUsers(ctx.seedCtx, opts.users + 2);
  const [bigA, bigB] = users.splice(opts.users, 2);
  const pairs = [];
  for (let i = 0; i < users.length; i++)
    for (let d = 1; d <= opts.chatsPerUser / 2; d++) pairs.push([users[i], users[(i + d) % users.length]]);
  const chats = await createChats(ctx.db, pairs);
  const t0 = Date.now();
  await seedMessages(ctx.db, chats, opts.messagesPerChat);
  const [big] = await createChats(ctx.db, [[bigA, bigB]]);
  await seedMessages(ctx.db, [big], opts.bigChatMessages);
  const seedSeconds = (Date.now() - t0) / 1000;
  ctx.log(`reads: ${chats.length} chats x ${opts.messagesPerChat} + ${opts.bigChatMessages} messages seeded in ${seedSeconds} s`);
  // --profile: the api under --cpu-prof for the whole scenario (seed checks, warm-ups and the three runs).
  const profileDir = opts.profile ? join(root, 'bench/results', `cpu-prof-reads-${ctx.id}`) : null;
  const api = await startApi(ctx.apiEnv, { nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
  await verifySeed(api.url, chats[0], opts.messagesPerChat);
  await verifySeed(api.url, big, opts.bigChatMessages);
  const runs = [];
  const plan = [
    { name: 'GET /chats (10 chats per user)', goal: true, requests: users.map((u) => ({ path: '/chats', token: u.token })) },
    {
      name: 'GET /chats/:id/messages?limit=50',
      goal: true,
      requests: chats.map((c) => ({ path: `/chats/${c.chatId}/messages?limit=50`, token: c.a.token })),
    },
    {
      name: `same page, one chat of ${opts.bigChatMessages} messages`,
      goal: false,
      requests: [{ path: `/chats/${big.chatId}/messages?limit=50`, token: bigA.token }],
    },
  ];
  for (const p of plan) {
    // One request at a time first (each the first of its user or chat, so nothing is remembered yet):
    // what one request costs when nothing queues, apart from the throughput under autocannon.
    const serial = await oneAtATime(api.url, p.requests.slice(0, 40));
    ctx.log(`reads: ${p.name}: one at a time p50 ${serial.p50Ms} ms, max ${serial.maxMs} ms (${serial.requests} requests)`);
    const job = { url: api.url, rate: opts.rate, connections: 20, requests: p.requests };
    await runJob(join(root, 'bench/reads-load.mjs'), { ...job, seconds: 1 }); // warm-up, not reported
    const r = await runJob(join(root, 'bench/reads-load.mjs'), { ...job, seconds: opts.seconds });
    ctx.log(`reads: ${p.name}: p99 ${r.p99Ms} ms at ${r.rps} req/s`);
    runs.push({ name: p.name, goal: p.goal, rate: opts.rate, ...r, oneAtATime: serial });
  }
  await stop(api.child, 15_000);
  if (profileDir) ctx.profile = summariseProfile(profileDir, 25);
  return { chats: chats.length, messages: chats.length * opts.messagesPerChat, bigChatMessages: opts.bigChatMessages, seedSeconds, runs };
}

async function oneAtATime(url, requests) {
  const ms = [];
  for (const r of requests) {
    const t0 = performance.now();
    const res = await fetch(`${url}${r.path}`, { headers: { authorization: `Bearer ${r.token}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${r.path} answered ${res.status}`);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const round = (x) => Math.round(x * 10) / 10;
  return { requests: ms.length, p50Ms: round(ms[Math.floor(ms.length / 2)]), maxMs: round(ms.at(-1)) };
}
