import { type DynamicModule, Module } from '@nestjs/common';
import { LocalFilesController } from './http/local-files.controller.js';
import { SignedFilesController } from './http/signed-files.controller.js';
import { createStorageDriver, type StorageOptions } from './storage.options.js';
import { StorageDriver } from './storage-driver.js';

@Module({})
export class StorageModule {
  /**
   * Global: any feature injects `StorageDriver`. The api serves local objects itself (GET /files/*),
   * so that route (and /signed/* for private media) exists only with the local driver; S3 and Cloudinary hand out their own URLs.
   */
  static forRoot(options: StorageOptions, { serveFiles = true }: { serveFiles?: boolean } = {}): DynamicModule {
    return {
      module: StorageModule,
      global: true,
      controllers: options.driver === 'local' && serveFiles ? [LocalFilesController, SignedFilesController] : [],
      providers: [{ provide: StorageDriver, useFactory: () => createStorageDriver(options) }],
      exports: [StorageDriver],
    };
  }
}
