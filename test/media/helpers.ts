import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { runProcess, type RunningProcess } from '@test/support';

export const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

export interface MediaBody {
  id: string;
  ownerId: string;
  kind: string;
  status: 'processing' | 'ready' | 'failed';
  failureReason: string | null;
  mimeType: string;
  sizeBytes: number;
  name: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  waveform: number[] | null;
  pageCount: number | null;
  placeholder: string | null;
  urls: { url: string | null; thumbnailUrl: string | null; previewUrl: string | null; expiresAt: string };
}

export function upload(
  baseUrl: string,
  user: { accessToken: string },
  bytes: Buffer,
  fileName: string,
  fields: Record<string, string> = {},
): Promise<request.Response> {
  let req = request(baseUrl)
    .post('/media')
    .set(...auth(user));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('file', bytes, fileName);
}

/** GET of a URL the api handed out (root-relative with the local driver), body as bytes. */
export function download(baseUrl: string, url: string, headers: Record<string, string> = {}): Promise<request.Response> {
  return request(baseUrl)
    .get(url)
    .set(headers)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/**
 * Collects `media:processed` events from the moment it is called, so an event that arrives before
 * the test knows the media id (the upload's answer) is not missed.
 */
export function processedEvents(socket: Socket): { wait(id: string, timeoutMs?: number): Promise<MediaBody> } {
  const seen = new Map<string, MediaBody>();
  const waiters = new Map<string, (m: MediaBody) => void>();
  socket.on('media:processed', (payload: MediaBody) => {
    seen.set(payload.id, payload);
    waiters.get(payload.id)?.(payload);
  });
  return {
    wait(id, timeoutMs = 60_000) {
      const got = seen.get(id);
      if (got) return Promise.resolve(got);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no media:processed for ${id} within ${timeoutMs} ms`)), timeoutMs);
        waiters.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    },
  };
}

export async function startWorker(env: Record<string, string>): Promise<RunningProcess> {
  const worker = runProcess('worker', { ...env, LOG_LEVEL: 'info' });
  await worker.waitFor(/worker ready/, 30_000);
  return worker;
}
