import { Controller, Get, Header, Inject, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';
import { ApiErrors, METRICS_REGISTRY } from '@app/common';
import { Public } from '../http/public.decorator.js';
import { MetricsAccessGuard } from './metrics-access.js';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Public()
  @UseGuards(MetricsAccessGuard)
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (HTTP durations, sockets, queue depths, event-loop lag)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors(
    [401, 'metrics_token_required', 'METRICS_TOKEN is set and the request lacks it as a bearer token'],
    [404, 'not_found', 'Not served here: production without METRICS_TOKEN, or METRICS_PORT serves the metrics'],
  )
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
