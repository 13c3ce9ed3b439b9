import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { registerQueue } from '../../core/queue/index.js';
import { ConnectionsModule } from '../connections/index.js';
import { QrCleanupProcessor } from './cleanup/qr-cleanup.processor.js';
import { QrCleanupScheduler } from './cleanup/qr-cleanup.scheduler.js';
import { QrCleanupService } from './cleanup/qr-cleanup.service.js';
import { QrController } from './qr.controller.js';
import { QrQueue } from './qr.jobs.js';
import { QrGateway } from './qr.gateway.js';
import { QrWatchService } from './qr-watch.service.js';
import { QrRepository } from './qr.repository.js';
import { QrService } from './qr.service.js';
import { QrToken, QrTokenSchema } from './schemas/qr-token.schema.js';

const models = MongooseModule.forFeature([{ name: QrToken.name, schema: QrTokenSchema }]);
const queue = registerQueue(QrQueue.Qr);

/**
 * QR codes that create connection requests (through ConnectionsModule's RequestsService). The
 * worker runs the scheduled cleanup of expired codes.
 */
@Module({})
export class QrModule {
  static forApi(): DynamicModule {
    return {
      module: QrModule,
      imports: [models, queue, ConnectionsModule.forApi()],
      controllers: [QrController],
      providers: [QrRepository, QrService, QrWatchService, QrGateway],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: QrModule,
      imports: [models, queue],
      providers: [QrRepository, QrCleanupService, QrCleanupProcessor, QrCleanupScheduler],
    };
  }
}
