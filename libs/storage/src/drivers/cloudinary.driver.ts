import { v2 as cloudinary } from 'cloudinary';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { StorageObjectNotFound, StorageUnavailable } from '../errors.js';
import { extensionOf, isObjectKey } from '../object-key.js';
import { type ByteRange, type ObjectInfo, type PutOptions, StorageDriver, type StoredObject } from '../storage-driver.js';

export interface CloudinaryStorageOptions {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
  /** Upload API origin; tests point it at a local server. */
  apiBaseUrl?: string;
  /** Delivery host instead of res.cloudinary.com, over plain http (tests only). */
  insecureDeliveryHost?: string;
}

const IMAGE = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif', 'avif']);
const VIDEO = new Set(['mp4', 'mov', 'webm', 'mp3', 'ogg', 'oga', 'opus', 'm4a', 'aac', 'wav']);

/**
 * Objects in Cloudinary (the original design's provider). The cloudinary package signs the API
 * parameters and builds delivery URLs; the HTTP calls themselves go through fetch so that uploads
 * stream and each driver instance keeps its own credentials (the package's transport is configured
 * once per process, at import time).
 */
export class CloudinaryStorageDriver extends StorageDriver {
  readonly name = 'cloudinary' as const;

  constructor(private readonly options: CloudinaryStorageOptions) {
    super();
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<ObjectInfo> {
    const target = this.target(key);
    const params = this.sign({ public_id: target.publicId, overwrite: 'false' });
    const boundary = `----storage${randomBytes(12).toString('hex')}`;
    const res = await this.call('put', key, this.apiUrl('upload', target.resourceType), {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Readable.toWeb(Readable.from(multipart(boundary, params, body, options.contentType))) as ReadableStream,
      duplex: 'half',
    });
    const out = (await res.json()) as { bytes?: number };
    return { key, size: out.bytes ?? (Buffer.isBuffer(body) ? body.length : (options.size ?? 0)), contentType: options.contentType };
  }

  async head(key: string): Promise<ObjectInfo> {
    const res = await this.call('head', key, this.deliveryUrl(key), { method: 'HEAD' });
    return {
      key,
      size: Number(res.headers.get('content-length') ?? 0),
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject> {
    const headers: Record<string, string> = range ? { range: `bytes=${range.start}-${range.end}` } : {};
    const res = await this.call('get', key, this.deliveryUrl(key), { headers });
    if (!res.body) throw new StorageUnavailable('get');
    const contentRange = res.headers.get('content-range') ?? '';
    const served = res.status === 206 ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange) : null;
    return {
      key,
      body: Readable.fromWeb(res.body),
      size: served ? Number(served[3]) : Number(res.headers.get('content-length') ?? 0),
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      ...(served ? { range: { start: Number(served[1]), end: Number(served[2]) } } : {}),
    };
  }

  async delete(key: string): Promise<void> {
    const target = this.target(key);
    const params = this.sign({ public_id: target.publicId, invalidate: 'true' });
    try {
      // Cloudinary answers 200 { result: 'not found' } for a missing object: fine, deletion is idempotent.
      await this.call('delete', key, this.apiUrl('destroy', target.resourceType), {
        method: 'POST',
        body: new URLSearchParams(params),
      });
    } catch (err) {
      if (!(err instanceof StorageObjectNotFound)) throw err;
    }
  }

  url(key: string): Promise<string> {
    return Promise.resolve(this.deliveryUrl(key));
  }

  /** Cloudinary `upload` objects are public: the URL does not expire (documented in docs/media.md). */
  signedUrl(key: string, ttlSeconds: number): Promise<{ url: string; expiresAt: Date }> {
    return Promise.resolve({ url: this.deliveryUrl(key), expiresAt: new Date(Date.now() + ttlSeconds * 1000) });
  }

  /** Images and videos are addressed without their extension (Cloudinary stores the format); raw files with it. */
  private target(key: string): { publicId: string; resourceType: 'image' | 'video' | 'raw'; format?: string } {
    if (!isObjectKey(key)) throw new StorageObjectNotFound(key);
    const ext = extensionOf(key);
    const bare = key.slice(0, -(ext.length + 1));
    if (IMAGE.has(ext)) return { publicId: bare, resourceType: 'image', format: ext };
    if (VIDEO.has(ext)) return { publicId: bare, resourceType: 'video', format: ext };
    return { publicId: key, resourceType: 'raw' };
  }

  private deliveryUrl(key: string): string {
    const target = this.target(key);
    const host = this.options.insecureDeliveryHost;
    return cloudinary.url(target.publicId, {
      cloud_name: this.options.cloudName,
      resource_type: target.resourceType,
      type: 'upload',
      format: target.format,
      analytics: false,
      ...(host ? { secure: false, cname: host } : { secure: true }),
    });
  }

  private apiUrl(action: 'upload' | 'destroy', resourceType: string): string {
    return cloudinary.utils.api_url(action, {
      cloud_name: this.options.cloudName,
      resource_type: resourceType,
      upload_prefix: this.options.apiBaseUrl ?? 'https://api.cloudinary.com',
    });
  }

  private sign(params: Record<string, string>): Record<string, string> {
    const signed = cloudinary.utils.sign_request(
      { ...params, timestamp: String(Math.floor(Date.now() / 1000)) },
      { api_key: this.options.apiKey, api_secret: this.options.apiSecret },
    ) as Record<string, string | number>;
    return Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, String(v)]));
  }

  /** fetch with Cloudinary's errors mapped: 404 -> not found; anything else not 2xx -> unavailable. */
  private async call(operation: string, key: string, url: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
    } catch (err) {
      throw new StorageUnavailable(operation, err);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new StorageObjectNotFound(key);
    }
    if (!res.ok) {
      const detail = await res.text().catch(() => '');
      throw new StorageUnavailable(operation, new Error(`Cloudinary answered ${res.status}: ${detail.slice(0, 500)}`));
    }
    return res;
  }
}

async function* multipart(
  boundary: string,
  fields: Record<string, string>,
  body: Buffer | Readable,
  contentType: string,
): AsyncGenerator<Buffer> {
  for (const [name, value] of Object.entries(fields)) {
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  }
  yield Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  if (Buffer.isBuffer(body)) yield body;
  else for await (const chunk of body) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}
