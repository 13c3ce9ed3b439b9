import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { StorageObjectNotFound, StorageUnavailable } from '../errors.js';
import { isObjectKey } from '../object-key.js';
import { type ByteRange, type ObjectInfo, type PutOptions, StorageDriver, type StoredObject } from '../storage-driver.js';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** Any S3-compatible endpoint (MinIO, R2, Wasabi...); unset means AWS itself. */
  endpoint?: string;
  /** `bucket` in the path instead of the host name: what most S3-compatible services need. */
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  /** Lifetime of presigned GET URLs. */
  urlExpiresSeconds: number;
}

/** Objects in an S3 bucket; clients download them through presigned GET URLs (the bucket stays private). */
export class S3StorageDriver extends StorageDriver {
  readonly name = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    super();
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // Newer SDKs add CRC checksums (and aws-chunked bodies for streams) by default, which several
      // S3-compatible services refuse; only send them where the API requires one.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<ObjectInfo> {
    checkKey(key);
    const size = Buffer.isBuffer(body) ? body.length : options.size;
    if (size === undefined) throw new Error('S3StorageDriver.put needs options.size for a stream body');
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          ContentLength: size,
          // Keys are never reused, so the object never changes.
          CacheControl: 'public, max-age=31536000, immutable',
        }),
      );
    } catch (err) {
      throw mapError('put', key, err);
    }
    return { key, size, contentType: options.contentType };
  }

  async head(key: string): Promise<ObjectInfo> {
    checkKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { key, size: out.ContentLength ?? 0, contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (err) {
      throw mapError('head', key, err);
    }
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject> {
    checkKey(key);
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      if (!(out.Body instanceof Readable)) throw new Error('S3 response body is not a Node stream');
      // Content-Range "bytes 0-9/1234" carries the full size when a range was served.
      const total = /\/(\d+)$/.exec(out.ContentRange ?? '')?.[1];
      const served = /^bytes (\d+)-(\d+)\//.exec(out.ContentRange ?? '');
      return {
        key,
        body: out.Body,
        size: total ? Number(total) : (out.ContentLength ?? 0),
        contentType: out.ContentType ?? 'application/octet-stream',
        ...(served ? { range: { start: Number(served[1]), end: Number(served[2]) } } : {}),
      };
    } catch (err) {
      throw mapError('get', key, err);
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
    } catch (err) {
      const mapped = mapError('delete', key, err);
      if (!(mapped instanceof StorageObjectNotFound)) throw mapped;
    }
  }

  url(key: string): Promise<string> {
    checkKey(key);
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.options.bucket, Key: key }), {
      expiresIn: this.options.urlExpiresSeconds,
    });
  }

  async signedUrl(key: string, ttlSeconds: number): Promise<{ url: string; expiresAt: Date }> {
    checkKey(key);
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    // The stored object says `public, immutable` (avatars); private media must not sit in shared caches.
    const command = new GetObjectCommand({ Bucket: this.options.bucket, Key: key, ResponseCacheControl: `private, max-age=${ttlSeconds}` });
    return { url: await getSignedUrl(this.client, command, { expiresIn: ttlSeconds }), expiresAt };
  }

  /** Closes the client's sockets (tests, shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}

function checkKey(key: string): void {
  if (!isObjectKey(key)) throw new StorageObjectNotFound(key);
}

function mapError(operation: string, key: string, err: unknown): Error {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404) {
    return new StorageObjectNotFound(key);
  }
  return new StorageUnavailable(operation, err);
}
