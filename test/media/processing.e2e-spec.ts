import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProcess, signUp, type SignedUpUser, socketPool, startTestApi, type TestApi } from '@test/support';
import { exifIfd0Tags, jpegWithGps } from '../profile/images.js';
import { handwrittenPdf, mp3Tone, silenceThenTone, testVideo } from './fixtures.js';
import { auth, download, type MediaBody, processedEvents, startWorker, upload } from './helpers.js';

// Needs a fresh dist (`nest build`, done by npm test): processing runs in a real worker process.
describe('media processing in the worker', () => {
  let api: TestApi;
  let worker: RunningProcess;
  let dir: string;
  let owner: SignedUpUser;
  let events: ReturnType<typeof processedEvents>;
  const sockets = socketPool();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir, MEDIA_IMAGE_MAX_SIDE: '600', MEDIA_VIDEO_MAX_HEIGHT: '240' });
    worker = await startWorker(api.env);
    owner = await signUp(api);
    events = processedEvents(await sockets.connect(api.url, owner.accessToken));
  });
  afterAll(async () => {
    sockets.closeAll();
    await worker?.stop();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Uploads, checks the 202, waits for the owner's media:processed, and returns GET /media/:id. */
  async function processed(bytes: Buffer, name: string, fields: Record<string, string> = {}): Promise<MediaBody> {
    const res = await upload(api.url, owner, bytes, name, fields);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ status: 'processing', urls: { url: null } });
    const event = await events.wait(res.body.id);
    const got = await request(api.url)
      .get(`/media/${res.body.id}`)
      .set(...auth(owner));
    expect(got.status).toBe(200);
    expect(got.body.status).toBe(event.status);
    return got.body as MediaBody;
  }

  it('re-encodes an image without any metadata block in any variant, capped, with a thumbnail and a thumbhash', async () => {
    const original = await jpegWithGps();
    expect(exifIfd0Tags((await sharp(original).metadata()).exif!)).toContain(0x8825); // the upload carries GPS
    const media = await processed(original, 'holiday.jpg');
    expect(media).toMatchObject({ kind: 'image', status: 'ready', mimeType: 'image/jpeg' });
    // 1200x800 rotated by its EXIF orientation (portrait), then capped at 600 on the longest side.
    expect([media.width, media.height]).toEqual([400, 600]);
    expect(Buffer.from(media.placeholder!, 'base64').length).toBeGreaterThan(5);
    for (const url of [media.urls.url!, media.urls.thumbnailUrl!]) {
      const res = await download(api.url, url);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toMatch(/^private/);
      const meta = await sharp(res.body as Buffer).metadata();
      expect([meta.exif, meta.xmp, meta.iptc, meta.orientation]).toEqual([undefined, undefined, undefined, undefined]);
      expect((res.body as Buffer).includes(Buffer.from('secret-owner'))).toBe(false);
    }
  });

  it('transcodes a video to H.264/AAC MP4 with faststart, height capped, a poster, duration; served in ranges', async () => {
    const media = await processed(await testVideo(2, 640, 480), 'clip.mp4');
    expect(media).toMatchObject({ kind: 'video', status: 'ready', mimeType: 'video/mp4', width: 320, height: 240 });
    expect(Math.abs(media.durationMs! - 2000)).toBeLessThan(150);
    const whole = (await download(api.url, media.urls.url!)).body as Buffer;
    // faststart: the index (moov) comes before the media data (mdat).
    expect(whole.indexOf('moov')).toBeGreaterThan(0);
    expect(whole.indexOf('moov')).toBeLessThan(whole.indexOf('mdat'));
    const part = await download(api.url, media.urls.url!, { Range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${whole.length}`);
    expect((part.body as Buffer).equals(whole.subarray(0, 100))).toBe(true);
    const poster = await download(api.url, media.urls.previewUrl!);
    expect((await sharp(poster.body as Buffer).metadata()).format).toBe('jpeg');
  });

  it('makes a voice note Opus in Ogg, mono, with its duration and a waveform that shows silence then the tone', async () => {
    const media = await processed(await silenceThenTone(1, 1), 'note.wav', { kind: 'voice' });
    expect(media).toMatchObject({ kind: 'voice', status: 'ready', mimeType: 'audio/ogg' });
    expect(Math.abs(media.durationMs! - 2000)).toBeLessThan(100);
    const wave = media.waveform!;
    expect(wave).toHaveLength(64);
    expect(Math.max(...wave.slice(0, 30))).toBeLessThanOrEqual(5);
    expect(Math.min(...wave.slice(34))).toBeGreaterThanOrEqual(80);
    const bytes = (await download(api.url, media.urls.url!)).body as Buffer;
    expect(bytes.subarray(0, 4).toString()).toBe('OggS');
    expect(bytes.includes(Buffer.from('OpusHead'))).toBe(true);
    expect(bytes[bytes.indexOf('OpusHead') + 9]).toBe(1); // channel count: mono
  });

  it('makes other audio AAC in M4A with its duration', async () => {
    const media = await processed(await mp3Tone(1.5), 'song.mp3');
    expect(media).toMatchObject({ kind: 'audio', status: 'ready', mimeType: 'audio/mp4', waveform: null });
    expect(Math.abs(media.durationMs! - 1500)).toBeLessThan(150);
  });

  it('keeps a PDF as it is, with its page count, a first-page preview and the sanitised name', async () => {
    const pdf = handwrittenPdf(2);
    const media = await processed(pdf, '../../etc/\u202ereport.pdf');
    expect(media).toMatchObject({ kind: 'document', status: 'ready', mimeType: 'application/pdf', pageCount: 2, name: 'report.pdf' });
    expect(((await download(api.url, media.urls.url!)).body as Buffer).equals(pdf)).toBe(true);
    const preview = await download(api.url, media.urls.previewUrl!);
    expect((await sharp(preview.body as Buffer).metadata()).format).toBe('png');
  });

  it('marks an undecodable video failed', async () => {
    const fake = Buffer.concat([(await testVideo(1, 64, 64)).subarray(0, 64), Buffer.alloc(20_000, 0x5a)]);
    const media = await processed(fake, 'broken.mp4');
    expect(media).toMatchObject({ status: 'failed', failureReason: 'undecodable', urls: { url: null } });
  });

  it('gives the same media for the same bytes uploaded again', async () => {
    const bytes = await sharp({ create: { width: 50, height: 40, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    const first = await processed(bytes, 'a.png');
    const again = await upload(api.url, owner, bytes, 'b.png');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.id, status: 'ready' });
  });
});
