import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, socketPool, startTestApi, type TestApi, waitForDisconnect } from '@test/support';
import { png, smallJpeg } from '../profile/images.js';
import { scenario } from '../reliability/summary.js';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  return out;
}

/**
 * Uploads row of issue 17, the parts not already covered by test/profile (spoofed type, pixel bomb,
 * EXIF GPS, oversize and api memory) and test/reliability/oversize-upload (40 MB, Expect).
 */
describe('hostile uploads and frames', () => {
  let api: TestApi;
  let dir: string;
  let token: string;
  const sockets = socketPool();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hostile-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir, SOCKET_MAX_PAYLOAD_BYTES: '65536' });
    token = (await signUp(api)).accessToken;
  });
  afterAll(async () => {
    sockets.closeAll();
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('re-encodes a polyglot (an image carrying HTML/JS) so none of the payload is served, and ignores traversal names', () =>
    scenario('uploads: polyglot, traversal names, huge frames', async (counts) => {
      const payload = '<html><script>alert(document.cookie)</script></html>';
      const polyglot = Buffer.concat([await png(), Buffer.from(payload)]);
      for (const [file, name] of [
        [polyglot, '../../../../etc/passwd.png'],
        [Buffer.concat([await smallJpeg(), Buffer.from(payload)]), '..\\..\\windows\\evil.jpg'],
      ] as const) {
        counts.sent++;
        const res = await request(api.url).put('/profile/avatar').set('Authorization', `Bearer ${token}`).attach('file', file, name);
        expect(res.status).toBe(200);
        expect(res.body.avatarUrl).not.toMatch(/\.\.|passwd|windows|evil/);
        const served = await request(api.url)
          .get(res.body.avatarUrl as string)
          .buffer(true)
          .parse((r, done) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => done(null, Buffer.concat(chunks)));
          });
        expect(served.headers['content-type']).toMatch(/^image\/(png|jpeg)$/);
        expect(served.headers['x-content-type-options']).toBe('nosniff');
        expect((served.body as Buffer).includes(Buffer.from('<script>'))).toBe(false);
        counts.acked++;
      }
      // Every stored file is inside the storage folder, under the user's avatars.
      for (const f of await filesUnder(dir)) expect(f.startsWith(join(dir, 'avatars'))).toBe(true);

      // A socket frame over SOCKET_MAX_PAYLOAD_BYTES closes that socket; the api goes on.
      const socket = await sockets.connect(api.url, token);
      const closed = waitForDisconnect(socket, 5000);
      socket.emit('chat:send', { chatId: '0'.repeat(24), clientMessageId: 'big', text: 'x'.repeat(2 * 1024 * 1024) });
      expect(await closed).toMatch(/transport close|parse error|io server disconnect/);
      expect((await request(api.url).get('/profile').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      counts.note = 'payload never served; names ignored; 2 MB frame dropped the socket';
    }));
});
