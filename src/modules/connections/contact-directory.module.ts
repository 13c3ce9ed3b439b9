import { type DynamicModule, Module } from '@nestjs/common';
import { ContactDirectory } from '@app/common';
import { ConnectionsService } from './connections.service.js';

/**
 * The one global part of connections: ContactDirectory, the contract (libs/common) that profile,
 * presence, chat and calls ask "may these two interact". Global because connections itself uses
 * profiles (importing it back would be a module cycle); ConnectionsService and RequestsService stay
 * private to modules that import ConnectionsModule, so those dependencies are visible.
 */
@Module({})
export class ContactDirectoryModule {
  static register(connections: DynamicModule): DynamicModule {
    return {
      module: ContactDirectoryModule,
      global: true,
      imports: [connections],
      providers: [{ provide: ContactDirectory, useExisting: ConnectionsService }],
      exports: [ContactDirectory],
    };
  }
}
