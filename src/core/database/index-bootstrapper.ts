import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/**
 * Creates every declared index at boot and fails start-up when one cannot be created. Mongoose's
 * autoIndex only reports failures on the model's `index` event, and FerretDB refuses some index
 * options (TTL, partial, ...), so a silent failure would leave a unique guard missing.
 */
@Injectable()
export class IndexBootstrapper implements OnApplicationBootstrap {
  private readonly logger = new Logger(IndexBootstrapper.name);

  constructor(@InjectConnection() private readonly connection: Connection) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const model of Object.values(this.connection.models)) {
      try {
        await model.createIndexes();
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new Error(`Creating the indexes of collection "${model.collection.name}" failed: ${reason}`, { cause: err });
      }
    }
    this.logger.log(`indexes ready for ${Object.keys(this.connection.models).length} models`);
  }
}
