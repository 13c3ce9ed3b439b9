import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { RealtimeEmitter } from './realtime.emitter.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RefuseAllSocketAuthenticator, SocketAuthenticator } from './socket-authenticator.js';

@Module({})
export class RealtimeModule {
  /**
   * Global, so every feature module can inject RealtimeEmitter. `authenticator` verifies handshakes;
   * its module must be importable from here via `imports`.
   */
  static forRoot(options: { authenticator?: Type<SocketAuthenticator>; imports?: DynamicModule['imports'] } = {}): DynamicModule {
    return {
      module: RealtimeModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        RealtimeGateway,
        RealtimeEmitter,
        { provide: SocketAuthenticator, useClass: options.authenticator ?? RefuseAllSocketAuthenticator },
      ],
      exports: [RealtimeEmitter],
    };
  }
}
