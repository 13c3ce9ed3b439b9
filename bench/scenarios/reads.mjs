// Goal 5: reads. `users` users, each in `chatsPerUser` chats (users * chatsPerUser / 2 chats) of
// `messagesPerChat` messages (default 200 users, 1,000 chats, 100,000 messages), plus one chat of
// `bigChatMessages` (20,000). autocannon at `rate` req/s: `GET /chats` (each request as the next user)
// and a 50-message page `GET /chats/:id/messages?limit=50` (the next chat), both p99 <= 20 ms; then
// the same page of the big chat (reported).
import { join } from 'node:path';
import { runJob, root, stop } from '../lib/procs.mjs';
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
  const api = await startApi(ctx.apiEnv);
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
    const job = { url: api.url, rate: opts.rate, connections: 20, requests: p.requests };
    await runJob(join(root, 'bench/reads-load.mjs'), { ...job, seconds: 1 }); // warm-up, not reported
    const r = await runJob(join(root, 'bench/reads-load.mjs'), { ...job, seconds: opts.seconds });
    ctx.log(`reads: ${p.name}: p99 ${r.p99Ms} ms at ${r.rps} req/s`);
    runs.push({ name: p.name, goal: p.goal, rate: opts.rate, ...r });
  }
  await stop(api.child);
  return { chats: chats.length, messages: chats.length * opts.messagesPerChat, bigChatMessages: opts.bigChatMessages, seedSeconds, runs };
}
