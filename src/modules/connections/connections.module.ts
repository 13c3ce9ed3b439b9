import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ContactDirectory } from '@app/common';
import { ProfileModule } from '../profile/index.js';
import { UsersModule } from '../users/index.js';
import { BlocksController } from './blocks.controller.js';
import { BlocksService } from './blocks.service.js';
import { ContactViews } from './contact-views.js';
import { ContactsService } from './contacts.service.js';
import { ConnectionsController } from './connections.controller.js';
import { ConnectionsGateway } from './connections.gateway.js';
import { ConnectionsListener } from './connections.listener.js';
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

/** What both processes need: the storage and the ContactDirectory checks. */
const storage = [
  ConnectionsRepository,
  RequestsRepository,
  ConnectionsService,
  { provide: ContactDirectory, useExisting: ConnectionsService },
];

/**
 * Global, so any module can inject ContactDirectory (profile privacy, presence, chat, calls)
 * without importing this module, which itself uses profiles: no module cycle.
 */
@Module({})
export class ConnectionsModule {
  static forApi(): DynamicModule {
    return {
      module: ConnectionsModule,
      global: true,
      imports: [models, UsersModule, ProfileModule],
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
      exports: [ConnectionsService, ContactDirectory, RequestsService],
    };
  }

  /** The worker has no sockets: only the checks and the cleanup the QR module's job calls. */
  static forWorker(): DynamicModule {
    return {
      module: ConnectionsModule,
      global: true,
      imports: [models],
      providers: storage,
      exports: [ConnectionsService, ContactDirectory],
    };
  }
}
