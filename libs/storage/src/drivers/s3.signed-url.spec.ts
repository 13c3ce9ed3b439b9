import { describe, expect, it } from 'vitest';
import { S3StorageDriver } from './s3.driver.js';

describe('S3StorageDriver.signedUrl', () => {
  it('presigns a GET for exactly the lifetime asked, telling caches the bytes are private', async () => {
    const driver = new S3StorageDriver({
      bucket: 'media-bucket',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9',
      forcePathStyle: true,
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
      urlExpiresSeconds: 3600,
    });
    const key = 'media/665f1c2b9a1e4d3f2a1b0c01/665f1c2b9a1e4d3f2a1b0c99-main.mp4';
    const before = Date.now();
    const { url, expiresAt } = await driver.signedUrl(key, 42);
    const parsed = new URL(url);
    expect(parsed.pathname).toBe(`/media-bucket/${key}`);
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('42');
    expect(parsed.searchParams.get('response-cache-control')).toBe('private, max-age=42');
    expect(parsed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(expiresAt.getTime() - before).toBeGreaterThanOrEqual(42_000);
    driver.destroy();
  });
});
