import { CloudinaryStorageDriver, type CloudinaryStorageOptions } from './drivers/cloudinary.driver.js';
import { LocalStorageDriver, type LocalStorageOptions } from './drivers/local.driver.js';
import { S3StorageDriver, type S3StorageOptions } from './drivers/s3.driver.js';
import type { StorageDriver } from './storage-driver.js';

/** Which driver STORAGE_DRIVER chose, with that driver's settings (built by the app's config loader). */
export type StorageOptions =
  | { driver: 'local'; local: LocalStorageOptions }
  | { driver: 's3'; s3: S3StorageOptions }
  | { driver: 'cloudinary'; cloudinary: CloudinaryStorageOptions };

export function createStorageDriver(options: StorageOptions): StorageDriver {
  switch (options.driver) {
    case 'local':
      return new LocalStorageDriver(options.local);
    case 's3':
      return new S3StorageDriver(options.s3);
    case 'cloudinary':
      return new CloudinaryStorageDriver(options.cloudinary);
  }
}
