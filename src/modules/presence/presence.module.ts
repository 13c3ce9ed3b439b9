import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PresenceDirectory } from '@app/common';
import { ProfileModule } from '../profile/index.js';
import { PresenceController } from './presence.controller.js';
import { PresenceGateway } from './presence.gateway.js';
import { PresencePrivacy } from './presence-privacy.js';
import { PresenceRepository } from './presence.repository.js';
import { PresenceService } from './presence.service.js';
import { PresenceStore } from './presence.store.js';
import { LastSeen, LastSeenSchema } from './schemas/last-seen.schema.js';

/**
 * Api process only (it needs the sockets). Global for its contract only: contacts and chat lists inject
 * PresenceDirectory (libs/common) without importing this module (which uses profiles: no cycle).
 */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: LastSeen.name, schema: LastSeenSchema }]), ProfileModule],
  controllers: [PresenceController],
  providers: [
    PresenceStore,
    PresenceRepository,
    PresencePrivacy,
    PresenceService,
    PresenceGateway,
    { provide: PresenceDirectory, useExisting: PresenceService },
  ],
  exports: [PresenceDirectory],
})
export class PresenceModule {}
