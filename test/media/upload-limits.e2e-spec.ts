import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectGarbage,
  peakRssDuring,
  rssOf,
  type RunningProcess,
  signUp,
  type SignedUpUser,
  startInspectedApi,
  startTestApi,
  type TestApi,
} from '@test/support';
import { smallJpeg } from '../profile/images.js';
import { testVideo } from './fixtures.js';
import { upload } from './helpers.js';

const MB = 1024 * 1024;

/**
 * The api runs as its own compiled process so its RSS is not mixed with the test's buffers; the
 * in-process app only signs the user up (same database and secret). Caps are per kind: 1 MB images,
 * 3 MB videos here.
 */
describe('upload caps per kind, enforced while streaming', () => {
  let api: TestApi;
  let proc: RunningProcess;
  let url: string;
  let dir: string;
  let user: SignedUpUser;
  let inspector: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-limits-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir, MEDIA_MAX_IMAGE_BYTES: String(MB), MEDIA_MAX_VIDEO_BYTES: String(3 * MB) });
    user = await signUp(api);
    ({ proc, url, inspector } = await startInspectedApi(api.env));
  });
  afterAll(async () => {
    await proc?.stop();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a 6 MB image with a readable 413 naming the image cap while RSS grows by far less than the upload', async () => {
    const big = Buffer.concat([await smallJpeg(), Buffer.alloc(6 * MB, 7)]);
    // Warm-up with a small upload only (a big one would raise the allocator's high-water mark).
    expect((await upload(url, user, await smallJpeg(), 'a.jpg')).status).toBe(202);
    const pid = proc.proc.pid!;
    await collectGarbage(inspector);
    const baseline = await rssOf(pid);
    const growth: number[] = [];
    for (let i = 0; i < 5; i++) {
      await collectGarbage(inspector);
      const peak = await peakRssDuring(pid, async () => {
        const res = await upload(url, user, big, 'big.jpg');
        expect(res.status).toBe(413);
        expect(res.body).toMatchObject({ code: 'file_too_large', details: { maxBytes: MB } });
      });
      growth.push(peak - baseline);
    }
    console.log(`rss growth during each 6 MB media upload: ${growth.map((g) => (g / MB).toFixed(2)).join(', ')} MB`);
    expect(Math.min(...growth)).toBeLessThan(4 * MB);
    // Nothing of the refused uploads was stored.
    expect(await api.connection.collection('media').countDocuments({ ownerId: user.userId })).toBe(1);
    expect((await readdir(dir, { recursive: true })).filter((n) => n.endsWith('.jpg')).length).toBe(1);
  });

  it('takes a 2 MB video (over the image cap, under the video cap) and refuses a 4 MB one', async () => {
    const video = await testVideo(1, 64, 64);
    const ok = Buffer.concat([video, Buffer.alloc(2 * MB - video.length, 0)]);
    expect((await upload(url, user, ok, 'ok.mp4')).status).toBe(202);
    const tooBig = Buffer.concat([video, Buffer.alloc(4 * MB, 0)]);
    const res = await request(url).post('/media').set('Authorization', `Bearer ${user.accessToken}`).attach('file', tooBig, 'big.mp4');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'file_too_large', details: { maxBytes: 3 * MB } });
  });
});
