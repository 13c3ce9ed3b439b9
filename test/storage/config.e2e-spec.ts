import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/app', REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: 'x'.repeat(32) };

describe('storage configuration', () => {
  it('defaults to the local driver and 5 MB avatars', () => {
    const config = loadConfig(base);
    expect(config.storage).toEqual({
      driver: 'local',
      local: { dir: 'var/storage', publicBaseUrl: '', signingSecret: expect.any(String) as string },
    });
    expect(config.avatar).toEqual({ maxBytes: 5_242_880, maxInputPixels: 50_000_000 });
  });

  it('names the keys a chosen driver is missing', () => {
    expect(() => loadConfig({ ...base, STORAGE_DRIVER: 's3' })).toThrow(
      /S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required/,
    );
    expect(() => loadConfig({ ...base, STORAGE_DRIVER: 'cloudinary' })).toThrow(/CLOUDINARY_URL is required/);
    expect(() => loadConfig({ ...base, STORAGE_DRIVER: 'ftp' })).toThrow(/STORAGE_DRIVER/);
  });

  it('reads S3 and Cloudinary settings', () => {
    const s3 = loadConfig({
      ...base,
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'media',
      S3_ACCESS_KEY_ID: 'AKID',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_ENDPOINT: 'http://minio:9000',
    });
    expect(s3.storage).toEqual({
      driver: 's3',
      s3: {
        bucket: 'media',
        region: 'us-east-1',
        endpoint: 'http://minio:9000',
        forcePathStyle: true,
        accessKeyId: 'AKID',
        secretAccessKey: 'secret',
        urlExpiresSeconds: 3600,
      },
    });
    const cloud = loadConfig({ ...base, STORAGE_DRIVER: 'cloudinary', CLOUDINARY_URL: 'cloudinary://1234:s%2Fecret@demo' });
    expect(cloud.storage).toEqual({ driver: 'cloudinary', cloudinary: { cloudName: 'demo', apiKey: '1234', apiSecret: 's/ecret' } });
  });
});
