import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/common';
import { HttpMetricsMiddleware } from './http-metrics.middleware.js';
import { MetricsAccessGuard } from './metrics-access.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsPort } from './metrics-port.js';
import { queueMetricsProvider } from './queue-metrics.js';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: METRICS_REGISTRY,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry }); // includes nodejs_eventloop_lag_seconds
        return registry;
      },
    },
    queueMetricsProvider,
    MetricsAccessGuard,
    MetricsPort,
  ],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
  }
}
