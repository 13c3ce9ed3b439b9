import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runProcess, type RunningProcess, signUp, startTestApi, type TestApi } from '@test/support';
import { smallJpeg } from './images.js';

const MB = 1024 * 1024;

/** Resident memory of a process, in bytes, from /proc (Linux). */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]) * 1024;
}

/**
 * Forces a full garbage collection in the api process through its inspector. Without it the
 * comparison would measure V8's GC schedule (garbage buffers are only freed at the next GC, which
 * large external allocations may postpone by tens of MB), not what the upload path retains.
 */
async function collectGarbage(inspectorUrl: string): Promise<void> {
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
async function peakRssDuring(pid: number, work: () => Promise<unknown>): Promise<number> {
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

/**
 * The api runs as its own process (the compiled dist, as in production) so its RSS is not mixed with
 * the test's own 6 MB buffers; the in-process app only signs the user up (same database and secret).
 * Needs a fresh build: `nest build` (npm test does it).
 */
describe('oversized avatar uploads and api memory', () => {
  let api: TestApi;
  let proc: RunningProcess;
  let url: string;
  let dir: string;
  let token: string;
  let inspector: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'avatars-mem-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir });
    token = (await signUp(api)).accessToken;
    const port = await freePort();
    proc = runProcess('main', { ...api.env, PORT: String(port), LOG_LEVEL: 'info', NODE_OPTIONS: '--inspect=127.0.0.1:0' });
    inspector = /(ws:\/\/\S+)/.exec(await proc.waitFor(/Debugger listening on ws:/))![1];
    await proc.waitFor(/api listening/);
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await proc?.stop();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 6 MB with 413 while RSS grows by far less than the upload', async () => {
    const big = Buffer.concat([await smallJpeg(), Buffer.alloc(6 * MB, 7)]);
    const upload = () => request(url).put('/profile/avatar').set('Authorization', `Bearer ${token}`).attach('file', big, 'big.jpg');
    // Warm-up with a small avatar only: a big one would raise the allocator's high-water mark, and
    // RSS rarely shrinks, so every later upload would look free.
    const small = await request(url)
      .put('/profile/avatar')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', await smallJpeg(), 'a.jpg');
    expect(small.status).toBe(200);

    const pid = proc.proc.pid!;
    await collectGarbage(inspector);
    const baseline = await rssOf(pid);
    const growth: number[] = [];
    for (let i = 0; i < 5; i++) {
      await collectGarbage(inspector);
      const peak = await peakRssDuring(pid, async () => {
        const res = await upload();
        expect(res.status).toBe(413);
        expect(res.body.code).toBe('file_too_large');
      });
      growth.push(peak - baseline);
    }
    // Measured here: streaming to a temporary file peaks at 2-3 MB (socket buffers awaiting GC); a
    // variant keeping the bytes read so far in memory until it refused peaked at 5.4-7.7 MB. The
    // smallest of five keeps a GC that happens to run late from failing the test.
    console.log(`rss growth during each 6 MB upload: ${growth.map((g) => (g / MB).toFixed(2)).join(', ')} MB`);
    expect(Math.min(...growth)).toBeLessThan(4 * MB);
  });
});
