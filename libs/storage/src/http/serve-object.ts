import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { StorageDriver } from '../storage-driver.js';
import { parseRange } from './range.js';

/**
 * Answers a GET/HEAD for one stored object: single byte ranges (206/416), If-None-Match (304),
 * nosniff and a sandboxing CSP (nothing served may run script in the api's origin, whatever its type).
 */
export async function serveObject(storage: StorageDriver, key: string, req: Request, res: Response, cacheControl: string): Promise<void> {
  const info = await storage.head(key);
  const etag = `"${info.size.toString(16)}-${createHash('sha1').update(info.key).digest('base64url').slice(0, 16)}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
    res.status(304).end();
    return;
  }
  const range = parseRange(req.headers.range, info.size);
  if (range === 'unsatisfiable') {
    res.status(416).setHeader('Content-Range', `bytes */${info.size}`).end();
    return;
  }
  res.setHeader('Content-Type', info.contentType);
  if (range) {
    res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
    res.setHeader('Content-Length', range.end - range.start + 1);
  } else {
    res.status(200).setHeader('Content-Length', info.size);
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const object = await storage.get(info.key, range ?? undefined);
  // A client that goes away mid-download is not an error worth a stack trace.
  await pipeline(object.body, res).catch(() => res.destroy());
}
