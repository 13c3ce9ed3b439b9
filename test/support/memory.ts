import { readFile } from 'node:fs/promises';
import { freePort, runProcess, type RunningProcess } from './processes.js';
import type { Env } from './test-env.js';

// Memory checks of the compiled api in its own process (its RSS is not mixed with the test's buffers).

/** Resident memory of a process, in bytes, from /proc (Linux). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]) * 1024;
}

/** Forces a full GC in a process through its inspector, so the comparison measures retention, not V8's GC schedule. */
export async function collectGarbage(inspectorUrl: string): Promise<void> {
  const ws = new WebSocket(inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    ws.onmessage = (m) => {
      if ((JSON.parse(String(m.data)) as { id?: number }).id === 1) resolve();
    };
    ws.onerror = () => reject(new Error('inspector connection failed'));
  });
  ws.close();
}

/** Samples RSS every few ms while `work` runs; resolves with the highest value seen. */
export async function peakRssDuring(pid: number, work: () => Promise<unknown>): Promise<number> {
  let peak = await rssOf(pid);
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, await rssOf(pid));
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await sampler;
  }
  return peak;
}

/** The compiled api in its own process with an inspector (for collectGarbage), listening on a free port. */
export async function startInspectedApi(env: Env): Promise<{ proc: RunningProcess; url: string; inspector: string }> {
  const port = await freePort();
  const proc = runProcess('main', { ...env, PORT: String(port), LOG_LEVEL: 'info', NODE_OPTIONS: '--inspect=127.0.0.1:0' });
  const inspector = /(ws:\/\/\S+)/.exec(await proc.waitFor(/Debugger listening on ws:/))![1];
  await proc.waitFor(/api listening/);
  return { proc, url: `http://127.0.0.1:${port}`, inspector };
}
