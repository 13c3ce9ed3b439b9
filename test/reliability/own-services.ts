import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import { freePort } from '@test/support';

const PAUSE_WAIT = new Int32Array(new SharedArrayBuffer(4));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A server of the test's own, for fault tests that pause, stop or empty it: the shared FerretDB and
 * Redis other suites use are never touched.
 */
export interface OwnServer {
  url: string;
  /** SIGSTOP: the process keeps its sockets open but answers nothing (a hung server, not a refused port). */
  pause(): void;
  resume(): void;
  /** Kills the server; `start()` brings up a new, empty one on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The binary of the CURRENT tools/ferretdb patch (named by its hash, as scripts/lib/services.sh names
 * it), so a fault suite never runs an older build; `npm test` builds it first (ensure_ferretdb_binary)
 * even when another FerretDB already answers on 27017.
 */
function ferretBinary(): string {
  const hash = createHash('sha256')
    .update(readFileSync(join(ROOT, 'tools/ferretdb/ferretdb-1.24.2.patch')))
    .digest('hex')
    .slice(0, 12);
  const bin = join(ROOT, '.tools/ferretdb', `ferretdb-v1.24.2-${hash}`);
  if (!existsSync(bin)) throw new Error(`no FerretDB binary ${bin}: run \`npm test\` (it builds it) or \`npm run services\``);
  return bin;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

// A suite that dies (or a hook that throws) must not leave a paused server behind.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) {
    p.kill('SIGCONT');
    p.kill('SIGKILL');
  }
});

function managed(spawnIt: () => ChildProcess, ready: () => Promise<boolean>, name: string, cleanup: () => Promise<void>) {
  let proc: ChildProcess | null = null;
  const server = {
    pause() {
      proc?.kill('SIGSTOP');
      // The signal is asynchronous: make sure the server is really stopped before the test relies on it.
      for (let i = 0; proc?.pid && i < 1000 && !/^\d+ \(.*\) T/.test(readFileSync(`/proc/${proc.pid}/stat`, 'utf8')); i++)
        Atomics.wait(PAUSE_WAIT, 0, 0, 5);
    },
    resume: () => proc?.kill('SIGCONT'),
    async stop() {
      const p = proc;
      proc = null;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGCONT');
      p.kill('SIGKILL');
      await exited;
    },
    async start() {
      const p = spawnIt();
      proc = p;
      running.add(p);
      p.once('exit', () => running.delete(p));
      await until(name, ready);
    },
    async close() {
      await server.stop();
      await cleanup();
    },
  };
  return server;
}

/** A FerretDB of our own (SQLite backend in a temporary folder) on a free port. */
export async function startOwnFerretDb(): Promise<OwnServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'own-ferretdb-'));
  const url = `mongodb://127.0.0.1:${port}/`;
  const server = managed(
    () =>
      spawn(
        ferretBinary(),
        [
          `--listen-addr=127.0.0.1:${port}`,
          '--debug-addr=-',
          '--telemetry=disable',
          '--log-level=error',
          `--state-dir=${dir}`,
          '--handler=sqlite',
          `--sqlite-url=file:${dir}/`,
        ],
        { stdio: 'ignore' },
      ),
    async () => {
      const client = await MongoClient.connect(url, { serverSelectionTimeoutMS: 500 });
      await client.db('admin').command({ ping: 1 });
      await client.close();
      return true;
    },
    'FerretDB',
    () => rm(dir, { recursive: true, force: true }),
  );
  await server.start();
  return { url, ...server };
}

/** A redis-server of our own (no persistence: a restart comes back empty) on a free port. */
export async function startOwnRedis(): Promise<OwnServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const server = managed(
    () => spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }),
    async () => {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    },
    'redis-server',
    async () => {},
  );
  await server.start();
  return { url, ...server };
}
