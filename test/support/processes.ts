import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Env } from './test-env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningProcess {
  proc: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves when a line matching `pattern` appears; rejects on exit or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a compiled entry (`dist/src/main.js` or `dist/src/worker.js`, built by `npm test`) as its own process. */
export function runProcess(entry: 'main' | 'worker', env: Env): RunningProcess {
  const proc = spawn(process.execPath, [`dist/src/${entry}.js`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    for (const l of listeners) l();
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => {
      for (const l of listeners) l();
      resolve({ code, signal });
    }),
  );
  return {
    proc,
    output: () => out,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern}; output:\n${out}`)), timeoutMs);
        const check = (): void => {
          const match = out.split('\n').find((line) => pattern.test(line));
          if (match) done(null, match);
          else if (proc.exitCode !== null || proc.signalCode !== null)
            done(new Error(`process exited waiting for ${pattern}; output:\n${out}${hint(out)}`));
        };
        const done = (err: Error | null, line?: string): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve(line ?? '');
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

export type ApiProcess = RunningProcess & { url: string };

/**
 * A compiled api process (dist/src/main.js, from `nest build`) on a free port, sharing `env`'s
 * database, Redis and JWT secret with the in-process test app; resolves once it listens.
 */
export async function startApiProcess(env: Env, overrides: Env = {}): Promise<ApiProcess> {
  const port = await freePort();
  const proc = runProcess('main', { ...env, PORT: String(port), LOG_LEVEL: 'info', ...overrides });
  try {
    await proc.waitFor(/api listening/, 30_000);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw err;
  }
  return Object.assign(proc, { url: `http://127.0.0.1:${port}` });
}

/** dist/ must come from `nest build`: plain tsc leaves the @app/* path aliases unresolved. */
function hint(out: string): string {
  return /ERR_MODULE_NOT_FOUND[^\n]*'@app\//.test(out)
    ? '\nHINT: dist/ was built with plain tsc; run `nest build` (it emits even when other files have type errors).'
    : '';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
