// The systems under test, each started fresh per scenario and pinned to the server CPU: the api
// (compiled into .tools/bench-dist), the bare relay (bench/relay.mjs) and Centrifugo (memory engine).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CPU, freePort, root, spawnPinned, waitHttp, waitOutput } from './procs.mjs';

export const JWT_ISSUER = 'messaging-backend';
export const TOKEN_TTL_SECONDS = 4 * 3600;
const PASSED_THROUGH = ['CHAT_COMMIT_WINDOW_MS', 'CHAT_COMMIT_MAX_DOCS'];

/** The env every api process of one bench run shares (one database, one Redis prefix, one secret). */
export function apiEnvironment({ mongoUri, redisUrl, prefix }) {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    MONGODB_URI: mongoUri,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    JWT_ISSUER,
    JWT_ACCESS_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
    CORS_ORIGINS: '*',
    LOG_LEVEL: 'warn',
    // One load generator stands for thousands of users on one IP: lift the abuse limits.
    SOCKET_RATE_LIMIT_EVENTS: '100000000',
    HTTP_RATE_LIMIT_PER_USER: '100000000',
    HTTP_RATE_LIMIT_PER_IP: '100000000',
    // Tuning under test, passed through when given (e.g. CHAT_COMMIT_WINDOW_MS=0 for a run without group commit).
    ...Object.fromEntries(PASSED_THROUGH.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]])),
  };
}

/**
 * One api process. `nodeArgs` e.g. ['--cpu-prof', ...]; `inspect` opens the inspector on a loopback
 * port so the bench can force a full GC (HeapProfiler.collectGarbage) before reading RSS.
 */
export async function startApi(env, { nodeArgs = [], inspect = false } = {}) {
  const port = await freePort();
  const inspectPort = inspect ? await freePort() : null;
  const args = [...nodeArgs, ...(inspect ? [`--inspect=127.0.0.1:${inspectPort}`] : []), join(root, '.tools/bench-dist/src/main.js')];
  const child = spawnPinned(CPU.server, process.execPath, args, { env: { PATH: process.env.PATH, ...env, PORT: String(port) } });
  child.stderr.on('data', (d) => {
    const text = String(d);
    if (!/Debugger (listening|attached)|For help, see|Waiting for the debugger/.test(text)) process.stderr.write(`api: ${text}`);
  });
  child.stdout.resume();
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/health/ready`, 90_000);
  return { child, url, inspectPort };
}

export async function startRelay() {
  const port = await freePort();
  const child = spawnPinned(CPU.server, process.execPath, [join(root, 'bench/relay.mjs'), String(port)], {
    env: { PATH: process.env.PATH },
  });
  await waitOutput(child, /relay listening/, 30_000, 'relay');
  child.stdout.resume();
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Centrifugo with the memory engine, JWT auth (HMAC), history on per user channel, client publish allowed. */
export async function startCentrifugo() {
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'bench-centrifugo-'));
  const config = {
    http_server: { address: '127.0.0.1', port },
    log: { level: 'error' },
    engine: { type: 'memory' },
    client: { token: { hmac_secret_key: secret }, allowed_origins: ['*'] },
    channel: {
      without_namespace: {
        history_size: 1000,
        history_ttl: '600s',
        force_recovery: true,
        allow_subscribe_for_client: true,
        allow_publish_for_client: true,
      },
    },
    usage_stats: { disabled: true },
    health: { enabled: true },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const child = spawnPinned(CPU.server, join(root, '.tools/centrifugo/centrifugo'), ['-c', join(dir, 'config.json')], {
    env: { PATH: process.env.PATH },
  });
  child.stdout.resume();
  let errors = '';
  child.stderr.on('data', (d) => (errors += d));
  await waitHttp(`http://127.0.0.1:${port}/health`, 30_000).catch((err) => {
    throw new Error(`${err.message}\n${errors}`);
  });
  return { child, url: `ws://127.0.0.1:${port}/connection/websocket`, secret };
}

/**
 * Forces a full GC in a process started with --inspect (Chrome DevTools protocol over WebSocket) and
 * returns the JS heap in use after it (bytes), to tell retained JS objects from native memory.
 */
export async function collectGarbage(inspectPort) {
  const [target] = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const call = (id, method) =>
    new Promise((resolve) => {
      ws.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (m.id === id) resolve(m.result);
      };
      ws.send(JSON.stringify({ id, method }));
    });
  await call(1, 'HeapProfiler.collectGarbage');
  const heap = await call(2, 'Runtime.getHeapUsage');
  ws.close();
  return heap?.usedSize ?? null;
}
