import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProfileModule } from '../profile/index.js';
import { User, UserSchema } from './schemas/user.schema.js';
import { UserIdentifier, UserIdentifierSchema } from './schemas/user-identifier.schema.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    ProfileModule,
    MongooseModule.forFeature([
      { name: User.name, schema: UserSchema },
      { name: UserIdentifier.name, schema: UserIdentifierSchema },
    ]),
  ],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService],
  exports: [UsersService],
})
export class UsersModule {}
