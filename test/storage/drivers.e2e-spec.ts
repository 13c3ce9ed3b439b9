import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudinaryStorageDriver,
  newObjectKey,
  S3StorageDriver,
  StorageDriver,
  StorageModule,
  StorageObjectNotFound,
  StorageUnavailable,
} from '@app/storage';
import { FakeCloudinary } from './fake-cloudinary.js';
import { FakeS3 } from './fake-s3.js';

interface Harness {
  driver: StorageDriver;
  /** Absolute form of a URL the driver handed out. */
  absolute(url: string): string;
  stop(): Promise<void>;
}

const bytes = (n: number, seed = 7): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + 13) % 256));
const read = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

const S3 = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'eu-west-3',
  bucket: 'media',
};
const CLOUD = { cloudName: 'demo-cloud', apiKey: '123456789012345', apiSecret: 'abcdEFGHijklMNOPqrstUVWXyz0' };

const harnesses: Record<string, () => Promise<Harness>> = {
  // Real files on disk, served by the real LocalFilesController in a minimal Nest app.
  async local() {
    const dir = await mkdtemp(join(tmpdir(), 'storage-local-'));
    const options = { driver: 'local' as const, local: { dir, publicBaseUrl: '' } };
    const moduleRef = await Test.createTestingModule({ imports: [StorageModule.forRoot(options)] }).compile();
    const app: INestApplication = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    const origin = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return {
      driver: app.get(StorageDriver),
      absolute: (url) => origin + url,
      async stop() {
        await app.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  // Request level: a local S3-compatible server that checks every SigV4 signature.
  async s3() {
    const fake = new FakeS3(S3.accessKeyId, S3.secretAccessKey, S3.region);
    await fake.start();
    const driver = new S3StorageDriver({ ...S3, endpoint: fake.endpoint, forcePathStyle: true, urlExpiresSeconds: 900 });
    return {
      driver,
      absolute: (url) => url,
      async stop() {
        driver.destroy();
        await fake.stop();
      },
    };
  },
  // Request level: a local stand-in for Cloudinary's upload API and CDN that checks signatures.
  async cloudinary() {
    const fake = new FakeCloudinary(CLOUD.cloudName, CLOUD.apiKey, CLOUD.apiSecret);
    await fake.start();
    const driver = new CloudinaryStorageDriver({ ...CLOUD, apiBaseUrl: fake.origin, insecureDeliveryHost: fake.host });
    return { driver, absolute: (url) => url, stop: () => fake.stop() };
  },
};

// The one contract every driver meets; features rely on nothing else.
describe.each(Object.keys(harnesses))('storage contract: %s driver', (name) => {
  let h: Harness;
  beforeAll(async () => {
    h = await harnesses[name]();
  });
  afterAll(() => h.stop());

  it('stores bytes under a generated key and reads them back with their type', async () => {
    const key = newObjectKey('contract/a1', 'png');
    const body = bytes(20_000);
    expect(await h.driver.put(key, body, { contentType: 'image/png' })).toEqual({ key, size: 20_000, contentType: 'image/png' });
    expect(await h.driver.head(key)).toEqual({ key, size: 20_000, contentType: 'image/png' });
    const object = await h.driver.get(key);
    expect(object.contentType).toBe('image/png');
    expect(object.size).toBe(20_000);
    expect((await read(object.body)).equals(body)).toBe(true);
  });

  it('accepts a stream body', async () => {
    const key = newObjectKey('contract/a1', 'jpg');
    const body = bytes(70_000, 3);
    await h.driver.put(key, Readable.from([body.subarray(0, 30_000), body.subarray(30_000)]), {
      contentType: 'image/jpeg',
      size: body.length,
    });
    expect((await read((await h.driver.get(key)).body)).equals(body)).toBe(true);
  });

  it('reads a byte range', async () => {
    const key = newObjectKey('contract/a1', 'png');
    const body = bytes(5000);
    await h.driver.put(key, body, { contentType: 'image/png' });
    const object = await h.driver.get(key, { start: 100, end: 199 });
    expect(object.range).toEqual({ start: 100, end: 199 });
    expect(object.size).toBe(5000);
    expect((await read(object.body)).equals(body.subarray(100, 200))).toBe(true);
  });

  it('hands out a URL that serves the object', async () => {
    const key = newObjectKey('contract/a1', 'webp');
    const body = bytes(3000, 11);
    await h.driver.put(key, body, { contentType: 'image/webp' });
    const res = await fetch(h.absolute(await h.driver.url(key)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it('deletes idempotently; a missing object is StorageObjectNotFound', async () => {
    const key = newObjectKey('contract/a1', 'png');
    await h.driver.put(key, bytes(10), { contentType: 'image/png' });
    await h.driver.delete(key);
    await h.driver.delete(key);
    await expect(h.driver.get(key)).rejects.toBeInstanceOf(StorageObjectNotFound);
    await expect(h.driver.head(key)).rejects.toBeInstanceOf(StorageObjectNotFound);
  });

  it('refuses keys it did not generate (no path tricks)', async () => {
    for (const key of ['../../etc/passwd', 'contract/../../x.png', 'contract/a b.png']) {
      await expect(h.driver.get(key)).rejects.toBeInstanceOf(StorageObjectNotFound);
      await expect(h.driver.put(key, bytes(1), { contentType: 'image/png' })).rejects.toBeInstanceOf(StorageObjectNotFound);
    }
  });
});

describe('s3 driver at the request level', () => {
  let fake: FakeS3;
  let driver: S3StorageDriver;
  beforeAll(async () => {
    fake = new FakeS3(S3.accessKeyId, S3.secretAccessKey, S3.region);
    await fake.start();
    driver = new S3StorageDriver({ ...S3, endpoint: fake.endpoint, forcePathStyle: true, urlExpiresSeconds: 900 });
  });
  afterAll(async () => {
    driver.destroy();
    await fake.stop();
  });

  it('signs a path-style PUT with SigV4 over the exact body, type and cache headers', async () => {
    const key = newObjectKey('avatars/u1', 'jpg');
    const body = bytes(1234);
    await driver.put(key, body, { contentType: 'image/jpeg' });
    const put = fake.requests.at(-1)!;
    expect(put.method).toBe('PUT');
    expect(new URL(put.url, fake.endpoint).pathname).toBe(`/${S3.bucket}/${key}`);
    expect(put.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${S3.accessKeyId}/\\d{8}/${S3.region}/s3/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(put.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(put.headers['content-type']).toBe('image/jpeg');
    expect(put.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(fake.objects.get(key)?.body.equals(body)).toBe(true);
  });

  it('presigns GET URLs that expire and cannot be pointed at another key', async () => {
    const key = newObjectKey('avatars/u1', 'png');
    await driver.put(key, bytes(50), { contentType: 'image/png' });
    const url = new URL(await driver.url(key));
    expect(url.pathname).toBe(`/${S3.bucket}/${key}`);
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect((await fetch(url)).status).toBe(200);
    const other = newObjectKey('avatars/u1', 'png');
    await driver.put(other, bytes(50), { contentType: 'image/png' });
    url.pathname = `/${S3.bucket}/${other}`;
    expect((await fetch(url)).status).toBe(403);
  });

  it('maps a refused signature and server errors to StorageUnavailable', async () => {
    const wrong = new S3StorageDriver({
      ...S3,
      secretAccessKey: 'not-the-secret',
      endpoint: fake.endpoint,
      forcePathStyle: true,
      urlExpiresSeconds: 60,
    });
    await expect(wrong.put(newObjectKey('avatars/u1', 'png'), bytes(5), { contentType: 'image/png' })).rejects.toBeInstanceOf(
      StorageUnavailable,
    );
    wrong.destroy();
    fake.failWith = { status: 503, code: 'SlowDown' };
    try {
      const key = newObjectKey('avatars/u1', 'png');
      await expect(driver.get(key)).rejects.toBeInstanceOf(StorageUnavailable);
      await expect(driver.delete(key)).rejects.toBeInstanceOf(StorageUnavailable);
    } finally {
      fake.failWith = null;
    }
  });
});

describe('cloudinary driver at the request level', () => {
  let fake: FakeCloudinary;
  let driver: CloudinaryStorageDriver;
  beforeAll(async () => {
    fake = new FakeCloudinary(CLOUD.cloudName, CLOUD.apiKey, CLOUD.apiSecret);
    await fake.start();
    driver = new CloudinaryStorageDriver({ ...CLOUD, apiBaseUrl: fake.origin, insecureDeliveryHost: fake.host });
  });
  afterAll(() => fake.stop());

  it('sends signed uploads: images without their extension, other files as raw with it', async () => {
    const image = newObjectKey('avatars/u1', 'jpg');
    await driver.put(image, bytes(100), { contentType: 'image/jpeg' });
    const call = fake.calls.at(-1)!;
    expect(call.path).toBe(`/v1_1/${CLOUD.cloudName}/image/upload`);
    expect(call.params).toMatchObject({ public_id: image.replace(/\.jpg$/, ''), overwrite: 'false', api_key: CLOUD.apiKey });
    expect(call.params.signature).toMatch(/^[0-9a-f]{40}$/);
    expect(Number(call.params.timestamp)).toBeCloseTo(Date.now() / 1000, -2);

    const doc = newObjectKey('media/u1', 'pdf');
    await driver.put(doc, bytes(100), { contentType: 'application/pdf' });
    expect(fake.calls.at(-1)).toMatchObject({ path: `/v1_1/${CLOUD.cloudName}/raw/upload`, params: { public_id: doc } });
  });

  it('signs deletions and builds CDN URLs on res.cloudinary.com in production', async () => {
    const key = newObjectKey('avatars/u1', 'png');
    await driver.put(key, bytes(10), { contentType: 'image/png' });
    await driver.delete(key);
    expect(fake.calls.at(-1)).toMatchObject({
      path: `/v1_1/${CLOUD.cloudName}/image/destroy`,
      params: { public_id: key.replace(/\.png$/, ''), invalidate: 'true' },
    });
    const production = new CloudinaryStorageDriver(CLOUD);
    expect(await production.url(key)).toBe(`https://res.cloudinary.com/${CLOUD.cloudName}/image/upload/v1/${key}`);
  });

  it('maps a refused signature and API errors to StorageUnavailable', async () => {
    const wrong = new CloudinaryStorageDriver({ ...CLOUD, apiSecret: 'wrong', apiBaseUrl: fake.origin, insecureDeliveryHost: fake.host });
    await expect(wrong.put(newObjectKey('avatars/u1', 'png'), bytes(5), { contentType: 'image/png' })).rejects.toBeInstanceOf(
      StorageUnavailable,
    );
    fake.failWith = { status: 420, message: 'Rate Limit Exceeded' };
    try {
      await expect(driver.put(newObjectKey('avatars/u1', 'png'), bytes(5), { contentType: 'image/png' })).rejects.toBeInstanceOf(
        StorageUnavailable,
      );
    } finally {
      fake.failWith = null;
    }
  });
});
