import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProfileController } from './profile.controller.js';
import { ProfileRepository } from './profile.repository.js';
import { ProfileService } from './profile.service.js';
import { Profile, ProfileSchema } from './schemas/profile.schema.js';

/**
 * Name, about, avatar and privacy settings. Lowest of the user-facing modules: it needs only the
 * global StorageDriver and ContactDirectory, and users, connections and presence call ProfileService.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: Profile.name, schema: ProfileSchema }])],
  controllers: [ProfileController],
  providers: [ProfileRepository, ProfileService],
  exports: [ProfileService],
})
export class ProfileModule {}
