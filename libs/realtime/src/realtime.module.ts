import { type DynamicModule, type InjectionToken, Module, type Type } from '@nestjs/common';
import { RealtimeEmitter } from './realtime.emitter.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { DEFAULT_SOCKET_RATE_LIMITS, type SocketRateLimits } from './handlers/socket-rate-limiter.js';
import { DEFAULT_TOKEN_GRACE_MS, REALTIME_OPTIONS, type RealtimeOptions } from './realtime.options.js';
import { SocketTokenExpiry } from './socket-token-expiry.js';
import { RefuseAllSocketAuthenticator, SocketAuthenticator } from './socket-authenticator.js';
import { WORKER_REALTIME_OPTIONS, type WorkerRealtimeOptions, WorkerRealtimeServer } from './worker-realtime.js';

@Module({})
export class RealtimeModule {
  /**
   * Global, so every feature module can inject RealtimeEmitter. `authenticator` verifies handshakes;
   * its module must be importable from here via `imports`. `rateLimits` and `tokenGraceSeconds` come from AppConfig.
   */
  static forRoot(
    options: {
      authenticator?: Type<SocketAuthenticator>;
      imports?: DynamicModule['imports'];
      rateLimits?: SocketRateLimits;
      tokenGraceSeconds?: number;
    } = {},
  ): DynamicModule {
    return {
      module: RealtimeModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        RealtimeGateway,
        RealtimeEmitter,
        SocketTokenExpiry,
        {
          provide: REALTIME_OPTIONS,
          useValue: {
            rateLimits: options.rateLimits ?? DEFAULT_SOCKET_RATE_LIMITS,
            tokenGraceMs: options.tokenGraceSeconds !== undefined ? options.tokenGraceSeconds * 1000 : DEFAULT_TOKEN_GRACE_MS,
          } satisfies RealtimeOptions,
        },
        { provide: SocketAuthenticator, useClass: options.authenticator ?? RefuseAllSocketAuthenticator },
      ],
      exports: [RealtimeEmitter, SocketTokenExpiry],
    };
  }

  /**
   * The worker process: the same global RealtimeEmitter, attached to a detached Socket.IO server on
   * the api's Redis streams adapter, so jobs reach sockets held by any api process.
   */
  static forWorker(options: {
    imports?: DynamicModule['imports'];
    inject: InjectionToken[];
    useFactory: (...deps: never[]) => WorkerRealtimeOptions;
  }): DynamicModule {
    return {
      module: RealtimeModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        RealtimeEmitter,
        WorkerRealtimeServer,
        { provide: WORKER_REALTIME_OPTIONS, inject: options.inject, useFactory: options.useFactory },
      ],
      exports: [RealtimeEmitter],
    };
  }
}
