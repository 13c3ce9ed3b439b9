import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatIdFor, MediaDirectory, messageMediaRef } from '@app/common';
import { type RunningProcess, signUp, type SignedUpUser, socketPool, startTestApi, type TestApi } from '@test/support';
import { FFMPEG_BASE, inputArgs } from '../../src/modules/media/processing/ffmpeg-args.js';
import { hlsPlaylistFor, testVideo } from './fixtures.js';
import { auth, download, type MediaBody, processedEvents, startWorker, upload } from './helpers.js';

const run = promisify(execFile);

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('who may fetch media', () => {
  let api: TestApi;
  let worker: RunningProcess;
  let dir: string;
  let owner: SignedUpUser;
  let peer: SignedUpUser;
  let stranger: SignedUpUser;
  let events: ReturnType<typeof processedEvents>;
  const sockets = socketPool();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-access-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir });
    worker = await startWorker(api.env);
    [owner, peer, stranger] = await Promise.all([signUp(api), signUp(api), signUp(api)]);
    events = processedEvents(await sockets.connect(api.url, owner.accessToken));
  });
  afterAll(async () => {
    sockets.closeAll();
    await worker?.stop();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  let made = 0;
  /** A new video each time (different size: identical bytes would be the same media). */
  async function readyVideo(): Promise<MediaBody> {
    made++;
    const res = await upload(api.url, owner, await testVideo(1, 160 + made * 16, 120), 'v.mp4');
    expect(res.status).toBe(202);
    expect((await events.wait(res.body.id)).status).toBe('ready');
    return (
      await request(api.url)
        .get(`/media/${res.body.id}`)
        .set(...auth(owner))
    ).body as MediaBody;
  }

  it('refuses a renamed executable with 415 and stores nothing', async () => {
    const elf = await readFile('/bin/true');
    const res = await upload(api.url, owner, elf, 'holiday.jpg');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
    expect(await api.connection.collection('media').countDocuments({ ownerId: owner.userId, originalMimeType: /x-elf/ })).toBe(0);
  });

  it('refuses an HLS playlist named .mp4 at upload (it is text, not an MP4)', async () => {
    const res = await upload(api.url, owner, hlsPlaylistFor('/etc/passwd'), 'clip.mp4');
    expect(res.status).toBe(415);
  });

  it("the worker's ffmpeg input flags never follow a playlist to a local file (strace), where a bare ffmpeg does", async () => {
    const work = await mkdtemp(join(tmpdir(), 'media-hls-'));
    try {
      const secret = join(work, 'secret.ts');
      await writeFile(secret, await testVideo(1, 64, 64));
      const playlist = join(work, 'clip.mp4');
      await writeFile(playlist, hlsPlaylistFor(secret));
      const traced = async (args: string[]): Promise<{ ok: boolean; opened: boolean }> => {
        const log = join(work, `trace-${Math.random()}.log`);
        const ok = await run('strace', ['-f', '-e', 'trace=open,openat', '-o', log, 'ffmpeg', ...args, '-f', 'null', '-']).then(
          () => true,
          () => false,
        );
        return { ok, opened: (await readFile(log, 'utf8')).includes(secret) };
      };
      // Control: what the guard exists for. Without it ffmpeg probes the playlist and reads the local file.
      expect(await traced(['-hide_banner', '-v', 'error', '-i', playlist])).toEqual({ ok: true, opened: true });
      // With the worker's input flags the playlist is not a valid MP4: ffmpeg fails and opens nothing else.
      expect(await traced([...FFMPEG_BASE, ...inputArgs(playlist, 'mov')])).toEqual({ ok: false, opened: false });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('answers GET /media/:id to the owner and to a chat participant once attached there, to nobody else', async () => {
    const media = await readyVideo();
    expect(
      (
        await request(api.url)
          .get(`/media/${media.id}`)
          .set(...auth(peer))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(api.url)
          .get(`/media/${media.id}`)
          .set(...auth(stranger))
      ).status,
    ).toBe(404);

    const directory = api.app.get(MediaDirectory);
    await directory.attach([media.id], messageMediaRef(chatIdFor(owner.userId, peer.userId), '665f1c2b9a1e4d3f2a1b0c99'));
    const seen = await request(api.url)
      .get(`/media/${media.id}`)
      .set(...auth(peer));
    expect(seen.status).toBe(200);
    const bytes = await download(api.url, seen.body.urls.url);
    expect(bytes.status).toBe(200);
    expect(bytes.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(
      (
        await request(api.url)
          .get(`/media/${media.id}`)
          .set(...auth(stranger))
      ).status,
    ).toBe(404);
  });

  it('never serves media objects through the public /files route, and refuses a tampered signed URL', async () => {
    const media = await readyVideo();
    const signed = new URL(media.urls.url!, 'http://x');
    const key = signed.pathname.replace(/^\/signed\//, '');
    expect(key).toMatch(/^media\//);
    expect((await download(api.url, `/files/${key}`)).status).toBe(404);
    expect((await download(api.url, `/signed/${key}`)).status).toBe(403);
    const other = `/signed/${key.replace('-main.mp4', '-preview.jpg')}${signed.search}`;
    expect((await download(api.url, other)).status).toBe(403);
    signed.searchParams.set('expires', String(Number(signed.searchParams.get('expires')) + 3600));
    expect((await download(api.url, `${signed.pathname}${signed.search}`)).status).toBe(403);
    expect((await download(api.url, media.urls.url!)).status).toBe(200);
  });

  it('deletes the media and its bytes when the last message using it lets go', async () => {
    const media = await readyVideo();
    const directory = api.app.get(MediaDirectory);
    const chatId = chatIdFor(owner.userId, peer.userId);
    const [m1, m2] = ['665f1c2b9a1e4d3f2a1b0c01', '665f1c2b9a1e4d3f2a1b0c02'];
    await directory.attach([media.id], messageMediaRef(chatId, m1));
    await directory.attach([media.id], messageMediaRef(chatId, m2));
    await directory.detach([media.id], messageMediaRef(chatId, m1));
    expect(
      (
        await request(api.url)
          .get(`/media/${media.id}`)
          .set(...auth(owner))
      ).status,
    ).toBe(200);
    expect((await filesUnder(dir)).some((f) => f.includes(media.id))).toBe(true);
    await directory.detach([media.id], messageMediaRef(chatId, m2));
    expect(
      (
        await request(api.url)
          .get(`/media/${media.id}`)
          .set(...auth(owner))
      ).status,
    ).toBe(404);
    expect((await filesUnder(dir)).filter((f) => f.includes(media.id))).toEqual([]);
    expect((await download(api.url, media.urls.url!)).status).toBe(404);
  });
});

describe('signed URLs expire', () => {
  let api: TestApi;
  let worker: RunningProcess;
  let dir: string;
  const sockets = socketPool();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-ttl-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir, MEDIA_URL_TTL_SECONDS: '5' });
    worker = await startWorker(api.env);
  });
  afterAll(async () => {
    sockets.closeAll();
    await worker?.stop();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a participant holding a link past MEDIA_URL_TTL_SECONDS gets 403; a fresh GET /media/:id gives a working one', async () => {
    const [owner, peer] = await Promise.all([signUp(api), signUp(api)]);
    const events = processedEvents(await sockets.connect(api.url, owner.accessToken));
    const res = await upload(api.url, owner, await testVideo(1, 96, 64), 'v.mp4');
    await events.wait(res.body.id);
    await api.app
      .get(MediaDirectory)
      .attach([res.body.id], messageMediaRef(chatIdFor(owner.userId, peer.userId), '665f1c2b9a1e4d3f2a1b0c03'));
    const first = (
      await request(api.url)
        .get(`/media/${res.body.id}`)
        .set(...auth(peer))
    ).body as MediaBody;
    expect((await download(api.url, first.urls.url!)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Date.parse(first.urls.expiresAt) - Date.now() + 1100));
    const late = await download(api.url, first.urls.url!);
    expect(late.status).toBe(403);
    expect(JSON.parse((late.body as Buffer).toString()).code).toBe('url_expired');
    const fresh = (
      await request(api.url)
        .get(`/media/${res.body.id}`)
        .set(...auth(peer))
    ).body as MediaBody;
    expect((await download(api.url, fresh.urls.url!)).status).toBe(200);
  });
});
