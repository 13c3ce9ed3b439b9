import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { RealtimeGateway } from './realtime.gateway.js';
import { RefuseAllSocketAuthenticator, SocketAuthenticator } from './socket-authenticator.js';

@Module({})
export class RealtimeModule {
  /** `authenticator` verifies handshakes; its module must be importable from here via `imports`. */
  static forRoot(options: { authenticator?: Type<SocketAuthenticator>; imports?: DynamicModule['imports'] } = {}): DynamicModule {
    return {
      module: RealtimeModule,
      imports: options.imports ?? [],
      providers: [RealtimeGateway, { provide: SocketAuthenticator, useClass: options.authenticator ?? RefuseAllSocketAuthenticator }],
    };
  }
}
