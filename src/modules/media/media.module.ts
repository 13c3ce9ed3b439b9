import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MediaDirectory } from '@app/common';
import { registerQueue } from '../../core/queue/index.js';
import { MediaCatalog } from './media-catalog.service.js';
import { MediaQueue } from './media.jobs.js';
import { MediaRepository } from './media.repository.js';
import { Media, MediaSchema } from './schemas/media.schema.js';

const models = MongooseModule.forFeature([{ name: Media.name, schema: MediaSchema }]);
const queue = registerQueue(MediaQueue.Media);

/** What both processes need: the documents and the MediaDirectory chat and status use. */
const catalog = [MediaRepository, MediaCatalog, { provide: MediaDirectory, useExisting: MediaCatalog }];

/**
 * Chat media. Global, so chat and status inject MediaDirectory without importing this module. The
 * api receives uploads and enqueues; the worker processes (never the api: transcoding is CPU-heavy).
 */
@Module({})
export class MediaModule {
  static forApi(): DynamicModule {
    return {
      module: MediaModule,
      global: true,
      imports: [models, queue],
      providers: [...catalog],
      exports: [MediaDirectory],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: MediaModule,
      global: true,
      imports: [models, queue],
      providers: [...catalog],
      exports: [MediaDirectory],
    };
  }
}
