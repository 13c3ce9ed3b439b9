import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../../config/index.js';
import { IndexBootstrapper } from './index-bootstrapper.js';

@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        uri: config.mongodbUri,
        autoIndex: false, // IndexBootstrapper creates them and fails loudly
        autoCreate: true,
        serverSelectionTimeoutMS: 5000,
        // FerretDB has no sessions or retryable writes; MongoDB does not need them for our writes.
        retryWrites: false,
      }),
    }),
  ],
  providers: [IndexBootstrapper],
})
export class DatabaseModule {}
