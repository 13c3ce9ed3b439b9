import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProcess, signUp, startTestApi, type TestApi } from '@test/support';
import { testVideo } from './fixtures.js';
import { auth, startWorker, upload } from './helpers.js';

const run = promisify(execFile);

/** Pids of `name` processes whose parent is `parent` (empty when none). */
async function childrenNamed(parent: number, name: string): Promise<number[]> {
  const out = await run('pgrep', ['-P', String(parent), '-x', name]).then(
    (r) => r.stdout,
    () => '',
  );
  return out.split('\n').filter(Boolean).map(Number);
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a worker killed with kill -9 mid-transcode', () => {
  let api: TestApi;
  let dir: string;
  const workers: RunningProcess[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-crash-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir });
  });
  afterAll(async () => {
    for (const w of workers) await w.stop('SIGKILL');
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves exactly one finished output once another worker has taken the job over', async () => {
    const owner = await signUp(api);
    const first = await startWorker(api.env);
    workers.push(first);
    // Long enough that the transcode is still running when it is killed.
    const res = await upload(api.url, owner, await testVideo(12, 1280, 720), 'long.mp4');
    expect(res.status).toBe(202);
    const id = res.body.id as string;

    const pid = first.proc.pid!;
    const ffmpeg = await until(async () => (await childrenNamed(pid, 'ffmpeg')).at(0), 30_000, 'ffmpeg under the first worker');
    // A crashed host takes the worker and its ffmpeg down together, with no chance to clean up.
    process.kill(ffmpeg, 'SIGKILL');
    await first.stop('SIGKILL');
    const leftBehind = (await readdir(tmpdir())).filter((n) => n.startsWith(`media-work-${pid}-`));
    expect(leftBehind).toHaveLength(1); // the killed worker could not clean up
    expect(
      (
        await request(api.url)
          .get(`/media/${id}`)
          .set(...auth(owner))
      ).body.status,
    ).toBe('processing');

    workers.push(await startWorker(api.env));
    // The job's lock lapses (15 s) and the stall check hands it to the new worker.
    const ready = await until(
      async () => {
        const got = await request(api.url)
          .get(`/media/${id}`)
          .set(...auth(owner));
        return got.body.status !== 'processing' && got.body;
      },
      90_000,
      'the media to be processed by the second worker',
    );
    expect(ready).toMatchObject({ status: 'ready', mimeType: 'video/mp4', width: 1280, height: 720 });

    const files = (await readdir(join(dir, 'media', owner.userId))).sort();
    // One rendition and one poster (each with its content-type sidecar), no original, no half-written file.
    expect(files).toEqual([`${id}-main.mp4`, `${id}-main.mp4.meta.json`, `${id}-preview.jpg`, `${id}-preview.jpg.meta.json`]);
    expect(await api.connection.collection('media').countDocuments({ ownerId: owner.userId })).toBe(1);
    // The new worker removed the dead one's work folder at start.
    expect((await readdir(tmpdir())).filter((n) => n.startsWith(`media-work-${pid}-`))).toEqual([]);
  });
});
