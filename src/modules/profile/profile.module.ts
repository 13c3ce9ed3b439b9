import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { registerQueue } from '../../core/queue/index.js';
import { ProfileFanoutListener } from './profile-fanout.listener.js';
import { ProfileFanout } from './profile-fanout.service.js';
import { ProfileSync } from './profile-sync.service.js';
import { ProfileController } from './profile.controller.js';
import { ProfileGateway } from './profile.gateway.js';
import { ProfileQueue } from './profile.jobs.js';
import { ProfileProcessor } from './profile.processor.js';
import { ProfileRepository } from './profile.repository.js';
import { ProfileService } from './profile.service.js';
import { Profile, ProfileSchema } from './schemas/profile.schema.js';

const storage = [MongooseModule.forFeature([{ name: Profile.name, schema: ProfileSchema }]), registerQueue(ProfileQueue.Profile)];

/**
 * Name, about, avatar and privacy settings. Lowest of the user-facing modules: it needs only the
 * global StorageDriver and ContactDirectory, and users, connections and presence call ProfileService.
 * The api process imports this module as it is (other modules import it too); a change is fanned out
 * to the owner's contacts by a job the worker runs (forWorker()).
 */
@Module({
  imports: storage,
  controllers: [ProfileController],
  providers: [ProfileRepository, ProfileService, ProfileSync, ProfileGateway, ProfileFanoutListener],
  exports: [ProfileService],
})
export class ProfileModule {
  /**
   * The worker: the profile reads and the fan-out processor. Its own module class, so none of the
   * api's controller, gateway or listener is instantiated there (a dynamic module of ProfileModule
   * would inherit them from the decorator above).
   */
  static forWorker(): DynamicModule {
    return {
      module: ProfileWorkerModule,
      imports: storage,
      providers: [ProfileRepository, ProfileService, ProfileFanout, ProfileProcessor],
    };
  }
}

@Module({})
export class ProfileWorkerModule {}
