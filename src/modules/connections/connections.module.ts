import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../../config/index.js';
import { registerQueue } from '../../core/queue/index.js';
import { ProfileModule } from '../profile/index.js';
import { UsersModule } from '../users/index.js';
import { BlocksController } from './blocks.controller.js';
import { BlocksService } from './blocks.service.js';
import { ContactCache } from './contact-cache.js';
import { ContactDirectoryModule } from './contact-directory.module.js';
import { CONTACT_CACHE_MAX_PAIRS, ContactInvalidations } from './contact-invalidations.js';
import { ContactViews } from './contact-views.js';
import { ContactsService } from './contacts.service.js';
import { ConnectionsController } from './connections.controller.js';
import { ConnectionsQueue } from './connections.jobs.js';
import { ConnectionsGateway } from './connections.gateway.js';
import { ConnectionsListener } from './connections.listener.js';
import { ConnectionsProcessor } from './connections.processor.js';
import { ConnectionsRepository } from './connections.repository.js';
import { ConnectionsService } from './connections.service.js';
import { RequestAnswers } from './request-answers.js';
import { RequestsRepository } from './requests.repository.js';
import { RequestsService } from './requests.service.js';
import { Block, BlockSchema } from './schemas/block.schema.js';
import { ConnectionRequest, ConnectionRequestSchema } from './schemas/connection-request.schema.js';
import { Connection, ConnectionSchema } from './schemas/connection.schema.js';

const models = MongooseModule.forFeature([
  { name: Connection.name, schema: ConnectionSchema },
  { name: Block.name, schema: BlockSchema },
  { name: ConnectionRequest.name, schema: ConnectionRequestSchema },
]);
const queue = registerQueue(ConnectionsQueue.Connections);

const contactCache: Provider = {
  provide: ContactCache,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => new ContactCache(config.connections.contactCacheTtlMs, CONTACT_CACHE_MAX_PAIRS),
};

/** What both processes need: the storage and the checks (cached, kept in step across processes). */
const storage = [ConnectionsRepository, RequestsRepository, ConnectionsService, contactCache, ContactInvalidations];

/**
 * Import `forApi()`/`forWorker()` for ConnectionsService and RequestsService (QR does); the
 * ContactDirectory contract is bound globally by `directory()` (ContactDirectoryModule). Each variant
 * is one object: Nest tells dynamic modules apart by reference, so importing it from several places
 * must not build a second instance.
 */
@Module({})
export class ConnectionsModule {
  private static api?: DynamicModule;
  private static worker?: DynamicModule;

  static forApi(): DynamicModule {
    return (ConnectionsModule.api ??= {
      module: ConnectionsModule,
      imports: [models, queue, UsersModule, ProfileModule],
      controllers: [ConnectionsController, BlocksController],
      providers: [
        ...storage,
        RequestsService,
        ContactsService,
        BlocksService,
        ContactViews,
        ConnectionsListener,
        RequestAnswers,
        ConnectionsGateway,
      ],
      exports: [ConnectionsService, RequestsService],
    });
  }

  /** The worker has no sockets: the checks, and the requests cleanup job. */
  static forWorker(): DynamicModule {
    return (ConnectionsModule.worker ??= {
      module: ConnectionsModule,
      imports: [models, queue],
      providers: [...storage, ConnectionsProcessor],
      exports: [ConnectionsService],
    });
  }

  /** The global ContactDirectory binding of either variant: import it next to that variant. */
  static directory(variant: DynamicModule): DynamicModule {
    return ContactDirectoryModule.register(variant);
  }
}
