import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageObjectNotFound, StorageUnavailable } from '../errors.js';
import { SIGNED_FILES_ROUTE, signObjectKey, verifyObjectSignature } from '../http/signed-url.js';
import { isObjectKey } from '../object-key.js';
import { type ByteRange, type ObjectInfo, type PutOptions, StorageDriver, type StoredObject } from '../storage-driver.js';

export interface LocalStorageOptions {
  /** Folder holding the objects (created if missing). */
  dir: string;
  /** Prefix of object URLs: '' gives root-relative `/files/<key>`; else e.g. `https://api.example.com`. */
  publicBaseUrl: string;
  /** HMAC key of signed URLs (private media); without it signedUrl() refuses. */
  signingSecret?: string;
}

/** URL path the api serves local objects under (see LocalFilesController). */
export const LOCAL_FILES_ROUTE = 'files';

/**
 * Files under one folder, served by the api itself. Each object has a `<file>.meta.json` beside it
 * holding its content type; both are written to a temporary name and renamed, so a reader never
 * sees half an object.
 */
export class LocalStorageDriver extends StorageDriver {
  readonly name = 'local' as const;
  private readonly root: string;

  constructor(private readonly options: LocalStorageOptions) {
    super();
    this.root = resolve(options.dir);
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<ObjectInfo> {
    const file = this.pathOf(key);
    const suffix = `.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(file), { recursive: true });
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(file + suffix));
      const { size } = await stat(file + suffix);
      await writeFile(`${file}.meta.json${suffix}`, JSON.stringify({ contentType: options.contentType }));
      await rename(`${file}.meta.json${suffix}`, `${file}.meta.json`);
      await rename(file + suffix, file);
      return { key, size, contentType: options.contentType };
    } catch (err) {
      await rm(file + suffix, { force: true });
      await rm(`${file}.meta.json${suffix}`, { force: true });
      throw new StorageUnavailable('put', err);
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    const file = this.pathOf(key);
    try {
      const [{ size }, meta] = await Promise.all([stat(file), readFile(`${file}.meta.json`, 'utf8')]);
      return { key, size, contentType: (JSON.parse(meta) as { contentType: string }).contentType };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StorageObjectNotFound(key);
      throw new StorageUnavailable('head', err);
    }
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject> {
    const info = await this.head(key);
    const body = createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
    return { ...info, body, ...(range ? { range } : {}) };
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await rm(file, { force: true });
      await rm(`${file}.meta.json`, { force: true });
    } catch (err) {
      throw new StorageUnavailable('delete', err);
    }
  }

  url(key: string): Promise<string> {
    this.pathOf(key);
    return Promise.resolve(`${this.options.publicBaseUrl.replace(/\/+$/, '')}/${LOCAL_FILES_ROUTE}/${key}`);
  }

  signedUrl(key: string, ttlSeconds: number): Promise<{ url: string; expiresAt: Date }> {
    this.pathOf(key);
    const secret = this.options.signingSecret;
    if (!secret) throw new StorageUnavailable('signedUrl', new Error('LocalStorageDriver has no signingSecret'));
    const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
    const base = this.options.publicBaseUrl.replace(/\/+$/, '');
    return Promise.resolve({
      url: `${base}/${SIGNED_FILES_ROUTE}/${key}?${signObjectKey(secret, key, expires)}`,
      expiresAt: new Date(expires * 1000),
    });
  }

  /** Verifies a signed URL's query (SignedFilesController). */
  verifySignature(key: string, expires: unknown, signature: unknown): boolean {
    const secret = this.options.signingSecret;
    return secret !== undefined && verifyObjectSignature(secret, key, expires, signature);
  }

  /** The key regex admits no `..` or absolute paths; the prefix check is a second guard. */
  private pathOf(key: string): string {
    if (!isObjectKey(key)) throw new StorageObjectNotFound(key);
    const file = join(this.root, key);
    if (!file.startsWith(this.root + '/')) throw new StorageObjectNotFound(key);
    return file;
  }
}
