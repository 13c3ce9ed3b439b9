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
        // Bounds while the server is unreachable or hung (SIGSTOP, network partition): without them a
        // request waits for the driver's 30 s defaults or forever, then answers nothing. A hung server is
        // noticed by the socket timeout; the monitor (connectTimeoutMS) then marks it unknown, and calls
        // fail at server selection until it answers again. Errors become 503 database_unavailable.
        serverSelectionTimeoutMS: config.database.serverSelectionTimeoutMs,
        connectTimeoutMS: config.database.serverSelectionTimeoutMs,
        socketTimeoutMS: config.database.socketTimeoutMs,
        // Mongoose would otherwise queue calls while disconnected for up to 10 s more, on top of the above.
        bufferCommands: false,
        // FerretDB has no sessions or retryable writes; MongoDB does not need them for our writes.
        retryWrites: false,
        // A retried read waits out a second timeout (measured: up to 9 s instead of 2-4 s with SIGSTOP):
        // while the database is unreachable a quick 503 the client retries beats a slow one.
        retryReads: false,
      }),
    }),
  ],
  providers: [IndexBootstrapper],
})
export class DatabaseModule {}
