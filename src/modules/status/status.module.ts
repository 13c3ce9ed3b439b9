import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { registerQueue } from '../../core/queue/index.js';
import { StatusCleanupProcessor } from './cleanup/status-cleanup.processor.js';
import { StatusCleanupScheduler } from './cleanup/status-cleanup.scheduler.js';
import { StatusCleanupService } from './cleanup/status-cleanup.service.js';
import { StatusAudience, StatusAudienceSchema } from './schemas/status-audience.schema.js';
import { StatusSettings, StatusSettingsSchema } from './schemas/status-settings.schema.js';
import { StatusView, StatusViewSchema } from './schemas/status-view.schema.js';
import { Status, StatusSchema } from './schemas/status.schema.js';
import { StatusFanout } from './status-fanout.js';
import { StatusGate } from './status-gate.js';
import { StatusMedia } from './status-media.js';
import { StatusMediaListener } from './status-media.listener.js';
import { StatusRepliesService } from './status-replies.service.js';
import { StatusSettingsController } from './status-settings.controller.js';
import { StatusSettingsRepository } from './status-settings.repository.js';
import { StatusSettingsService } from './status-settings.service.js';
import { StatusViewsRepository } from './status-views.repository.js';
import { StatusViewsService } from './status-views.service.js';
import { StatusController } from './status.controller.js';
import { StatusGateway } from './status.gateway.js';
import { StatusQueue } from './status.jobs.js';
import { StatusRepository } from './status.repository.js';
import { StatusService } from './status.service.js';

const imports = [
  MongooseModule.forFeature([
    { name: Status.name, schema: StatusSchema },
    { name: StatusAudience.name, schema: StatusAudienceSchema },
    { name: StatusView.name, schema: StatusViewSchema },
    { name: StatusSettings.name, schema: StatusSettingsSchema },
  ]),
  registerQueue(StatusQueue.Status),
];

/** What both processes need: storage, the gate, media lookups and the fan-out. */
const core = [StatusRepository, StatusViewsRepository, StatusSettingsRepository, StatusGate, StatusMedia, StatusFanout, StatusService];

/**
 * Statuses (docs/status.md). Uses the global ContactDirectory, RealtimeEmitter, and (when bound)
 * MediaDirectory and ChatPoster. The api serves REST and `status:view`; the worker releases statuses
 * whose media finished processing (media.processed is emitted there) and runs the expiry cleanup.
 */
@Module({})
export class StatusModule {
  static forApi(): DynamicModule {
    return {
      module: StatusModule,
      imports,
      controllers: [StatusSettingsController, StatusController],
      providers: [...core, StatusViewsService, StatusSettingsService, StatusRepliesService, StatusGateway],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: StatusModule,
      imports,
      providers: [...core, StatusMediaListener, StatusCleanupService, StatusCleanupProcessor, StatusCleanupScheduler],
    };
  }
}
