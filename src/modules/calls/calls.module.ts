import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { registerQueue } from '../../core/queue/index.js';
import { CallDevices, CallSweeper } from './call-liveness.js';
import { CallLifecycle } from './call-lifecycle.js';
import { CallLogService } from './call-log.service.js';
import { CallStore } from './call-store.js';
import { CallsController } from './calls.controller.js';
import { CallsGateway } from './calls.gateway.js';
import { CallsQueue } from './calls.jobs.js';
import { CallsProcessor } from './calls.processor.js';
import { CallsRepository } from './calls.repository.js';
import { CallsService } from './calls.service.js';
import { Call, CallSchema } from './schemas/call.schema.js';

const imports = [MongooseModule.forFeature([{ name: Call.name, schema: CallSchema }]), registerQueue(CallsQueue.Calls)];
/** Both processes end calls (api: hangups; worker: ring timeouts, lost connections) and sweep dead processes' calls. */
const shared = [CallsRepository, CallStore, CallLifecycle, CallSweeper];

/**
 * Voice and video calls (docs/calls.md): signaling on the api's sockets, call state in MongoDB, locks
 * and candidate hand-over in Redis, ring timeouts and connection checks as delayed jobs in the worker.
 * Uses the global ContactDirectory and ChatPoster; nothing imports this module.
 */
@Module({})
export class CallsModule {
  static forApi(): DynamicModule {
    return {
      module: CallsModule,
      imports,
      controllers: [CallsController],
      providers: [...shared, CallDevices, CallsService, CallLogService, CallsGateway],
    };
  }

  static forWorker(): DynamicModule {
    return { module: CallsModule, imports, providers: [...shared, CallsProcessor] };
  }
}
