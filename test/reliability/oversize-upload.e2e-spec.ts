import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApi, type TestApi } from '@test/support';

const MB = 1024 * 1024;
const BOUNDARY = 'oversize-boundary';

/** A multipart body of `size` bytes whose file starts like a JPEG, so only the size can refuse it. */
function multipart(size: number): Buffer {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const file = Buffer.alloc(size - head.length - tail.length, 7);
  file.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], 0);
  return Buffer.concat([head, file, tail]);
}

/**
 * Sends `body` the way a plain HTTP client does (all of it, as fast as the socket takes it) and resolves
 * with the response it could read; rejects if the connection is cut before a response arrives.
 */
function upload(url: string, token: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/profile/avatar`, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        'Content-Length': String(body.length),
        ...headers,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('an oversized upload is refused with a 413 the client can read', () => {
  let api: TestApi;
  let dir: string;
  let token: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oversize-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir });
    token = (await signUp(api)).accessToken;
  });
  afterAll(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 413 file_too_large to a 40 MB avatar sent in one go (no connection reset)', async () => {
    const res = await upload(api.url, token, multipart(40 * MB));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'file_too_large', details: { maxBytes: 5 * MB } });
  });

  it('answers 413 to a 40 MB avatar sent through supertest (a common client)', async () => {
    const res = await request(api.url)
      .put('/profile/avatar')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', multipart(40 * MB), 'big.jpg');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('file_too_large');
  });

  it('answers 413, not 100 Continue, when Expect: 100-continue declares a length over the limit', async () => {
    const { port } = new URL(api.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `PUT /profile/avatar HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${40 * MB}\r\nExpect: 100-continue\r\n\r\n`,
    );
    let head = '';
    socket.setEncoding('latin1');
    for await (const chunk of socket) {
      head += chunk as string;
      if (head.includes('\r\n\r\n')) break;
    }
    socket.destroy();
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
  });

  it('still answers 100 Continue to an Expect upload within the limit, and stores it', async () => {
    const sharp = (await import('sharp')).default;
    const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#3366cc' } })
      .jpeg()
      .toBuffer();
    const head = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const body = Buffer.concat([head, jpeg, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
    const res = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = httpRequest(`${api.url}/profile/avatar`, {
        method: 'PUT',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
          'Content-Length': String(body.length),
          Expect: '100-continue',
        },
      });
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
      req.on('response', (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode ?? 0, continued }));
      });
      req.on('error', reject);
    });
    expect(res).toEqual({ status: 200, continued: true });
  });

  it('answers 413 to a 40 MB avatar streamed without a declared length (chunked), once the limit is passed', async () => {
    const body = multipart(40 * MB);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${api.url}/profile/avatar`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
      });
      req.on('response', (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      const write = (offset: number): void => {
        if (offset >= body.length) return void req.end();
        if (req.write(body.subarray(offset, offset + MB))) setImmediate(() => write(offset + MB));
        else req.once('drain', () => write(offset + MB));
      };
      write(0);
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'file_too_large' });
  });

  it('answers 100 Continue to a JSON request with Expect, so other routes keep working', async () => {
    const body = JSON.stringify({ name: 'Ann' });
    const res = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = httpRequest(`${api.url}/profile`, {
        method: 'PATCH',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
          Expect: '100-continue',
        },
      });
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
      req.on('response', (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode ?? 0, continued }));
      });
      req.on('error', reject);
    });
    expect(res).toEqual({ status: 200, continued: true });
  });
});
