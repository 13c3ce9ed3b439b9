import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApi, type TestApi } from '@test/support';
import { exifIfd0Tags, jpegMarkers, jpegWithGps, png, pngChunks, pngDeclaring, smallJpeg } from './images.js';

const auth = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

/** Downloads a URL the api handed out (root-relative with the local driver). */
async function download(api: TestApi, url: string, headers: Record<string, string> = {}): Promise<request.Response> {
  return request(api.url)
    .get(url)
    .set(headers)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

describe('avatar upload (local storage driver)', () => {
  let api: TestApi;
  let dir: string;
  let token: string;
  let userId: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'avatars-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir });
    ({ accessToken: token, userId } = await signUp(api));
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores a JPEG with GPS EXIF without any metadata, rotated and capped at 640 px, plus a thumbnail', async () => {
    const original = await jpegWithGps();
    const before = await sharp(original).metadata();
    expect(exifIfd0Tags(before.exif!)).toContain(0x8825); // the upload really carries a GPS block
    expect(before.xmp).toBeDefined();

    const res = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .attach('file', original, 'holiday.jpg');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId, avatarUrl: expect.stringMatching(/^\/files\/avatars\/.+\.jpg$/) });
    expect(res.body.avatarUrl).not.toContain('holiday');

    const stored = (await download(api, res.body.avatarUrl)).body as Buffer;
    const meta = await sharp(stored).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.exif, meta.xmp, meta.iptc, meta.icc, meta.comments, meta.orientation]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // Byte level: no APP1 (EXIF/XMP), APP2 (ICC), APP13 (IPTC) or COM segment, and nothing of the original's tags.
    expect(jpegMarkers(stored).filter((m) => ['E1', 'E2', 'ED', 'FE'].includes(m))).toEqual([]);
    for (const leak of ['Exif', 'secret-owner', 'SpyCam', 'http://ns.adobe.com', 'adobe:ns:meta'])
      expect(stored.includes(Buffer.from(leak))).toBe(false);
    // Orientation 6 applied: 1200x800 landscape shown as portrait, longest side 640.
    expect([meta.width, meta.height]).toEqual([427, 640]);

    const thumb = (await download(api, res.body.avatarThumbUrl)).body as Buffer;
    const thumbMeta = await sharp(thumb).metadata();
    expect([thumbMeta.width, thumbMeta.height, thumbMeta.exif]).toEqual([96, 96, undefined]);
  });

  // pHYs (pixel density) is written by libvips into every PNG; it says nothing about the user.
  it('keeps a PNG named .jpg as PNG, with no metadata chunks', async () => {
    const res = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .attach('file', await png(), { filename: 'photo.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(200);
    expect(res.body.avatarUrl).toMatch(/\.png$/);
    const file = await download(api, res.body.avatarUrl);
    expect(file.headers['content-type']).toBe('image/png');
    expect((await sharp(file.body as Buffer).metadata()).format).toBe('png');
    expect(pngChunks(file.body as Buffer).filter((c) => !['IHDR', 'PLTE', 'tRNS', 'pHYs', 'IDAT', 'IEND'].includes(c))).toEqual([]);
  });

  it('refuses a text file named .png with 415', async () => {
    const res = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .attach('file', Buffer.from('just some text, not an image\n'.repeat(20)), { filename: 'cat.png', contentType: 'image/png' });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
  });

  it('refuses a decompression bomb (a small PNG declaring 30000x30000) without decoding it', async () => {
    const bomb = pngDeclaring(30_000, 30_000);
    expect(bomb.length).toBeLessThan(200_000);
    const res = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .attach('file', bomb, 'bomb.png');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'image_too_large', message: expect.stringContaining('30000x30000') });
    // The api is still there and serving.
    expect(
      (
        await request(api.url)
          .get('/profile')
          .set(...auth(token))
      ).status,
    ).toBe(200);
  });

  it('refuses 6 MB with 413 and keeps no temporary file of it', async () => {
    const big = Buffer.concat([await smallJpeg(), Buffer.alloc(6 * 1024 * 1024, 7)]);
    const uploadsBefore = (await readdir(tmpdir())).filter((f) => f.startsWith('upload-')).length;
    const res = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .attach('file', big, 'big.jpg');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'file_too_large', details: { maxBytes: 5_242_880 } });
    expect((await readdir(tmpdir())).filter((f) => f.startsWith('upload-')).length).toBeLessThanOrEqual(uploadsBefore);
  });

  it('drops the temporary file of an upload the client abandons midway', async () => {
    // This test alone owns the temporary folder, so other suites' uploads cannot be counted.
    const savedTmp = process.env.TMPDIR;
    const tmp = await mkdtemp(join(tmpdir(), 'abort-'));
    process.env.TMPDIR = tmp;
    const uploads = async (): Promise<string[]> => (await readdir(tmp)).filter((f) => f.startsWith('upload-'));
    const until = async (done: () => Promise<boolean>): Promise<void> => {
      for (let i = 0; i < 100 && !(await done()); i++) await new Promise((r) => setTimeout(r, 50));
    };
    try {
      const { port } = new URL(api.url);
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      const boundary = 'abandoned-upload';
      socket.write(
        `PUT /profile/avatar HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 1000000\r\n\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      );
      // Enough of a real JPEG for the type check to pass, so bytes reach the temporary file.
      socket.write(Buffer.concat([await jpegWithGps(), Buffer.alloc(20_000, 1)]).subarray(0, 30_000));
      await until(async () => (await uploads()).length > 0);
      expect(await uploads()).toHaveLength(1);
      socket.destroy();
      await until(async () => (await uploads()).length === 0);
      expect(await uploads()).toEqual([]);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      await rm(tmp, { recursive: true, force: true });
    }
    // The api goes on serving uploads.
    const res = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .attach('file', await smallJpeg(), 'a.jpg');
    expect(res.status).toBe(200);
  });

  it('answers 400 without a multipart file', async () => {
    const json = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .send({ file: 'x' });
    expect(json.status).toBe(400);
    expect(json.body.code).toBe('multipart_required');
    const wrongField = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .attach('photo', await smallJpeg(), 'a.jpg');
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.code).toBe('file_missing');
  });

  it('serves the stored file with its type, immutable caching and byte ranges', async () => {
    const set = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .attach('file', await jpegWithGps(), 'a.jpg');
    const url = set.body.avatarUrl as string;
    const whole = await download(api, url);
    expect(whole.status).toBe(200);
    expect(whole.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'accept-ranges': 'bytes',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
    const size = (whole.body as Buffer).length;
    expect(Number(whole.headers['content-length'])).toBe(size);

    const part = await download(api, url, { Range: 'bytes=10-109' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-109/${size}`);
    expect((part.body as Buffer).equals((whole.body as Buffer).subarray(10, 110))).toBe(true);
    const tail = await download(api, url, { Range: 'bytes=-50' });
    expect(tail.status).toBe(206);
    expect((tail.body as Buffer).equals((whole.body as Buffer).subarray(size - 50))).toBe(true);
    const beyond = await request(api.url).get(url).set('Range', `bytes=${size}-`);
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${size}`);
    const cached = await request(api.url).get(url).set('If-None-Match', String(whole.headers.etag));
    expect(cached.status).toBe(304);
    // No auth needed (the random key is the capability), and unknown or crafted keys are 404.
    expect((await request(api.url).get(url.replace(/[A-Za-z0-9_-]{22}\.jpg$/, 'AAAAAAAAAAAAAAAAAAAAAA.jpg'))).status).toBe(404);
    expect((await request(api.url).get('/files/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = await request(api.url).get('/docs-json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/profile', '/profile/avatar', '/profile/privacy']));
    expect(paths.some((p) => p.startsWith('/files/'))).toBe(true);
    expect(doc.body.paths['/profile/avatar'].put.requestBody.content).toHaveProperty('multipart/form-data');
  });

  it('deletes the old objects when the avatar is replaced or removed', async () => {
    const first = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .attach('file', await png(), 'a.png');
    const second = await request(api.url)
      .put('/profile/avatar')
      .set(...auth(token))
      .attach('file', await smallJpeg(), 'b.jpg');
    expect(second.status).toBe(200);
    expect((await request(api.url).get(first.body.avatarUrl)).status).toBe(404);
    expect((await request(api.url).get(first.body.avatarThumbUrl)).status).toBe(404);
    expect((await request(api.url).get(second.body.avatarUrl)).status).toBe(200);

    const removed = await request(api.url)
      .delete('/profile/avatar')
      .set(...auth(token));
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ avatarUrl: null, avatarThumbUrl: null });
    expect((await request(api.url).get(second.body.avatarUrl)).status).toBe(404);
    expect((await request(api.url).get(second.body.avatarThumbUrl)).status).toBe(404);
    // Only this user's current objects are on disk: nothing was left behind.
    expect(await readdir(join(dir, 'avatars', userId))).toEqual([]);
  });
});
