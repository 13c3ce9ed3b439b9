import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, type RunningProcess, signUp, startTestApi, type TestApi } from '@test/support';
import { connectedPair, type Pair, sendRest } from '../chat/chat-fixtures.js';
import { testVideo } from '../media/fixtures.js';
import { auth, upload } from '../media/helpers.js';
import { PushReceiver } from '../notifications/push-receiver.js';
import { messagePushes, type QueueWatch, registerWebPush, until, watchQueues } from './job-effects.js';
import { scenario } from './summary.js';

const run = promisify(execFile);
// A killed worker's job runs again within about 2.5 x this (lock 1.5 x, then the next stall check).
const STALLED_INTERVAL_MS = 2000;
const CHATS = 20;
const VIDEOS = 2;

async function ffmpegUnder(pid: number): Promise<number[]> {
  const out = await run('pgrep', ['-P', String(pid), '-x', 'ffmpeg']).then(
    (r) => r.stdout,
    () => '',
  );
  return out.split('\n').filter(Boolean).map(Number);
}

/**
 * Matrix row of issue 17: kill -9 of the worker while media transcodes and notification fan-out run.
 * Every job is done once in effect (one push per offline recipient's message at the push receiver,
 * one finished media item with one set of renditions) and nothing is left active or stalled.
 */
describe('the worker killed with kill -9 mid-job', () => {
  let receiver: PushReceiver;
  let api: TestApi;
  let dir: string;
  let watch: QueueWatch;
  const workers: RunningProcess[] = [];
  let workerEnv: Record<string, string>;
  const startWorker = async (): Promise<RunningProcess> => {
    const w = runProcess('worker', workerEnv);
    workers.push(w);
    await w.waitFor(/worker ready/, 30_000);
    return w;
  };

  beforeAll(async () => {
    receiver = new PushReceiver();
    await receiver.start();
    dir = await mkdtemp(join(tmpdir(), 'worker-kill9-'));
    api = await startTestApi({
      ...receiver.env(),
      STORAGE_LOCAL_DIR: dir,
      NOTIFICATIONS_CHAT_DIGEST_MS: '1000',
      WORKER_STALLED_INTERVAL_MS: String(STALLED_INTERVAL_MS),
    });
    workerEnv = { ...api.env, LOG_LEVEL: 'info', NODE_EXTRA_CA_CERTS: receiver.caPath };
    watch = await watchQueues(api.env, ['media', 'notifications']);
    // Two or three compiled processes start here: slow on a busy 2-core machine.
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) await w.stop('SIGKILL');
    await watch?.close();
    await api?.close();
    await receiver?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('does every job once in effect after another worker took over, and leaves no job stuck', { timeout: 240_000 }, () =>
    scenario(`worker kill -9 mid-job: ${CHATS} pushes, ${VIDEOS} transcodes`, async (counts) => {
      const first = await startWorker();
      const pairs: Pair[] = await Promise.all(Array.from({ length: CHATS }, () => connectedPair(api)));
      // Each b is offline with a web push device: a message to them is stored, digested and pushed.
      const devices = await Promise.all(pairs.map((p) => registerWebPush(api.url, receiver, p.b)));
      const owner = await signUp(api);
      // Different lengths: identical bytes would be the same media item.
      const videos = await Promise.all(Array.from({ length: VIDEOS }, (_, i) => testVideo(8 + i, 960, 540)));

      const [uploads] = await Promise.all([
        Promise.all(Array.from({ length: VIDEOS }, (_, i) => upload(api.url, owner, videos[i], `v${i}.mp4`))),
        Promise.all(pairs.map((p, i) => sendRest(api, p.a, p.chatId, `while the worker runs ${i}`))),
      ]);
      counts.sent = CHATS + VIDEOS;
      counts.acked = CHATS + uploads.filter((u) => u.status === 202).length;
      const mediaIds = uploads.map((u) => u.body.id as string);
      expect(new Set(mediaIds).size).toBe(VIDEOS);

      // Killed while a transcode runs (with its ffmpeg: a crashed host takes both down).
      const pid = first.proc.pid!;
      const ffmpeg = await until('ffmpeg under the worker', async () => (await ffmpegUnder(pid)).length > 0 && ffmpegUnder(pid), 60_000);
      const activeAtKill = (await watch.queues.get('notifications')!.getActive()).length;
      for (const child of ffmpeg) process.kill(child, 'SIGKILL');
      await first.stop('SIGKILL');
      const pushesBeforeTakeover = receiver.received.length;
      await startWorker();

      const media = await until(
        'every media item processed',
        async () => {
          const items = await Promise.all(
            mediaIds.map(
              async (id) =>
                (
                  await request(api.url)
                    .get(`/media/${id}`)
                    .set(...auth(owner))
                ).body as { status: string },
            ),
          );
          return items.every((m) => m.status !== 'processing') && items;
        },
        120_000,
      );
      const pushes = await until(
        'a push for every offline recipient',
        () => {
          const got = devices.map((d) => messagePushes(receiver, d));
          return got.every((p) => p.inEffect > 0) && got;
        },
        60_000,
      );
      const leftovers = await until(
        'queues drained',
        async () => {
          const left = await watch.leftovers();
          return Object.keys(left).length === 0 && left;
        },
        30_000,
      ).catch(() => watch.leftovers());

      const files = (await readdir(join(dir, 'media', owner.userId))).sort();
      const expectedFiles = mediaIds.flatMap((id) => [
        `${id}-main.mp4`,
        `${id}-main.mp4.meta.json`,
        `${id}-preview.jpg`,
        `${id}-preview.jpg.meta.json`,
      ]);
      const notReady = media.filter((m) => m.status !== 'ready').length;
      counts.lost = pushes.filter((p) => p.inEffect === 0).length + notReady;
      counts.duplicated = pushes.reduce((n, p) => n + p.inEffect - 1, 0) + (files.length - new Set(files).size);
      const raw = pushes.reduce((n, p) => n + p.raw, 0);
      counts.note = `stalled jobs handed over: media ${watch.stalled.get('media')}, notifications ${watch.stalled.get('notifications')}; notification jobs active at kill ${activeAtKill}; pushes before kill ${pushesBeforeTakeover}, raw pushes ${raw} (repeats share a topic)`;

      expect(media.map((m) => m.status)).toEqual(mediaIds.map(() => 'ready'));
      expect(pushes.map((p) => p.inEffect)).toEqual(devices.map(() => 1));
      expect(files).toEqual(expectedFiles.sort());
      expect(await api.connection.collection('media').countDocuments({ ownerId: owner.userId })).toBe(VIDEOS);
      expect(leftovers).toEqual({});
      expect(receiver.problems).toEqual([]);
      // The transcode that was killed was taken over by the second worker, not lost.
      expect(watch.stalled.get('media')).toBeGreaterThan(0);
    }),
  );
});
