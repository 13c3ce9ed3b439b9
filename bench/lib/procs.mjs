// Child processes of the bench: free loopback ports, CPU pinning (taskset), readiness, cleanup.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const root = new URL('../..', import.meta.url).pathname;
const children = new Set();
const hasTaskset = spawnSync('taskset', ['-V']).status === 0;

/** CPU 0 for the load generators, CPU 1 for everything measured (as far as 2 cores and taskset allow). */
export const CPU = { load: '0', server: '1' };

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Spawns `cmd args` pinned to `cpu` (when taskset exists); the returned child is killed by `killAll`. */
export function spawnPinned(cpu, cmd, args, options = {}) {
  const [file, argv] = hasTaskset && cpu ? ['taskset', ['-c', cpu, cmd, ...args]] : [cmd, args];
  const child = spawn(file, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resolves when the child's output matches `ready`; rejects when it exits first or after `ms`. */
export function waitOutput(child, ready, ms = 60_000, name = 'process') {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready in ${ms} ms:\n${output.slice(-3000)}`)), ms);
    const onData = (d) => {
      output += d;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}):\n${output.slice(-3000)}`));
    });
  });
}

export async function waitHttp(url, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs a bench child (a node script) that reads a JSON job on stdin and prints one JSON line of results. */
export function runJob(script, job, { cpu = CPU.load, nodeArgs = [], env = {} } = {}) {
  const child = spawnPinned(cpu, process.execPath, [...nodeArgs, script], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stdin.end(JSON.stringify(job));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const last = output.trim().split('\n').at(-1);
      if (code === 0 && last) resolve(JSON.parse(last));
      else reject(new Error(`${script} exited ${code}: ${output.slice(-2000)}`));
    });
  });
}

export function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

/** Stops a child gracefully (SIGTERM, then SIGKILL after `graceMs`). */
export async function stop(child, graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function killAll() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A bench child driven step by step: the job is the first stdin line, then commands (one per line);
 * the child answers each phase with one JSON line on stdout, read with `next()`.
 */
export function startInteractive(script, job, { cpu = CPU.load, nodeArgs = [] } = {}) {
  const child = spawnPinned(cpu, process.execPath, [...nodeArgs, script], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.write(`${JSON.stringify(job)}\n`);
  const lines = [];
  const waiters = [];
  let buffer = '';
  child.stdout.on('data', (d) => {
    buffer += d;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (waiters.length) waiters.shift().resolve(JSON.parse(line));
      else lines.push(JSON.parse(line));
    }
  });
  child.once('exit', (code) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`${script} exited ${code}`));
  });
  return {
    child,
    next: () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((resolve, reject) => waiters.push({ resolve, reject }))),
    send: (command) => child.stdin.write(`${command}\n`),
  };
}

/** The child side of startInteractive: the job, then an async iterator of commands. */
export async function interactiveJob() {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin });
  const it = rl[Symbol.asyncIterator]();
  const job = JSON.parse((await it.next()).value);
  return { job, nextCommand: async () => (await it.next()).value, reply: (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`) };
}
