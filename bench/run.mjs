// `npm run bench`: every scenario of issue 16 against the api and its peers, one table, JSON results.
// Loopback only; bounded (the default run takes minutes). Flags:
//   --scenarios=throughput,latency,idle,storm,reads   (default: all)
//   --quick                                  small sizes and short steps: a smoke run in about 2 minutes
//   --targets=relay,api,api2,centrifugo      throughput targets (default: all)
//   --steps=100,200,...  --step-seconds=N  --pairs=N      throughput steps and size
//   --latency-rate=N --latency-users=N  --idle=N  --storm=N  --reads-rate=N  --reads-seconds=N
//   --profile                                run the single api of the throughput and reads scenarios under --cpu-prof
//   --all-steps                              throughput: run every step, not stop at the first that fails
//   --out=bench/results/<file>.json
// Run through `npm run bench` (bench/run.sh), which provides MONGODB_URI, REDIS_URL and the builds.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { killAll, root } from './lib/procs.mjs';
import { renderTable } from './lib/table.mjs';
import { JWT_ISSUER, TOKEN_TTL_SECONDS, apiEnvironment } from './lib/targets.mjs';
import * as idle from './scenarios/idle.mjs';
import * as latency from './scenarios/latency.mjs';
import * as reads from './scenarios/reads.mjs';
import * as storm from './scenarios/storm.mjs';
import * as throughput from './scenarios/throughput.mjs';
import { deleteKeys } from './lib/scope.mjs';

const flag = (name) => process.argv.includes(`--${name}`);
const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const quick = flag('quick');
const q = (small, full) => (quick ? small : full);
const list = (s) => s.split(',').filter(Boolean);
const scenarios = list(arg('scenarios', 'throughput,latency,idle,storm,reads'));
const opts = {
  throughput: {
    pairs: Number(arg('pairs', q(20, 50))),
    steps: list(arg('steps', q('50,200,800', '25,50,100,200,400,800,1600,3200,6400'))).map(Number),
    stepMs: Number(arg('step-seconds', q(2, 5))) * 1000,
    drainMs: 3000,
    ceilingDocs: q(10_000, 50_000),
    targets: arg('targets', null) ? list(arg('targets')) : null,
    profile: flag('profile'),
    allSteps: flag('all-steps'),
  },
  latency: { rate: Number(arg('latency-rate', 1000)), users: Number(arg('latency-users', q(200, 1000))), stepMs: q(3000, 10_000) },
  idle: { sockets: Number(arg('idle', q(2000, 15_000))) },
  storm: { clients: Number(arg('storm', q(1000, 5000))), held: 2, waiting: 3, boundMs: 10_000 },
  reads: {
    users: q(100, 200),
    chatsPerUser: 10,
    messagesPerChat: q(20, 100),
    bigChatMessages: q(2000, 20_000),
    rate: Number(arg('reads-rate', 500)),
    profile: flag('profile'),
    seconds: Number(arg('reads-seconds', q(3, 10))),
  },
};
const { MONGODB_URI, REDIS_URL } = process.env;
if (!MONGODB_URI || !REDIS_URL) throw new Error('MONGODB_URI and REDIS_URL must be set (run through `npm run bench`)');

const id = randomBytes(4).toString('hex');
const prefix = `bench_${id}`;
const out = resolve(root, arg('out', `bench/results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
const log = (m) => process.stderr.write(`bench: ${m}\n`);
const uptime = () =>
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')}`;

/** Each scenario gets a database of its own (a fresh datastore per scenario: no leftovers between them). */
function scenarioContext(name) {
  const mongoUri = new URL(MONGODB_URI);
  mongoUri.pathname = `/${prefix}_${name}`;
  const mongo = new MongoClient(mongoUri.toString());
  const redis = new Redis(REDIS_URL);
  const apiEnv = apiEnvironment({ mongoUri: mongoUri.toString(), redisUrl: REDIS_URL, prefix: `${prefix}_${name}` });
  const db = mongo.db();
  const seedCtx = { db, redis, prefix: `${prefix}_${name}`, secret: apiEnv.JWT_SECRET, issuer: JWT_ISSUER, ttlSeconds: TOKEN_TTL_SECONDS };
  return { id, name, mongo, mongoUri: mongoUri.toString(), db, redis, apiEnv, seedCtx, log, quick };
}

async function dispose(ctx) {
  // Bounded too: a datastore that stopped answering must not hang the run.
  await Promise.race([ctx.db.dropDatabase().catch(() => {}), new Promise((r) => setTimeout(r, 15_000))]);
  await deleteKeys(ctx.redis, ctx.seedCtx.prefix);
  await ctx.mongo.close();
  ctx.redis.disconnect();
}

const modules = { throughput, latency, idle, storm, reads };
const results = {
  at: new Date().toISOString(),
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  node: process.version,
  cpus: cpus().length,
  datastore: process.env.BENCH_DATASTORE ?? MONGODB_URI.replace(/\/\/[^@]*@/, '//'),
  loadBefore: uptime(),
  options: Object.fromEntries(scenarios.map((s) => [s, opts[s]])),
  scenarios: {},
};
log(`run ${id}: ${scenarios.join(', ')}${quick ? ' (quick)' : ''}; ${results.loadBefore}`);
try {
  for (const name of scenarios) {
    if (!modules[name]) throw new Error(`unknown scenario ${name} (known: ${Object.keys(modules).join(', ')})`);
    const ctx = scenarioContext(name);
    const started = Date.now();
    log(`scenario ${name} (${uptime()})`);
    try {
      results.scenarios[name] = {
        ...(await modules[name].run(ctx, opts[name])),
        load: uptime(),
        seconds: Math.round((Date.now() - started) / 1000),
      };
      if (ctx.profile) results.profile = ctx.profile;
    } catch (err) {
      log(`scenario ${name} failed: ${err.stack ?? err}`);
      results.scenarios[name] = { error: String(err.message ?? err) };
    } finally {
      killAll();
      await dispose(ctx);
    }
    // Written after every scenario, so a run stopped halfway keeps what it measured.
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  }
} finally {
  killAll();
}
results.loadAfter = uptime();
console.log(renderTable(results));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
log(`results written to ${out}`);
process.exit(0);
