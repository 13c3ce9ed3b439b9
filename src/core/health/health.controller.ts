import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult, MongooseHealthIndicator } from '@nestjs/terminus';
import { Public } from '../http/public.decorator.js';
import { RedisHealthIndicator } from './redis.health.js';

const STATUS_OK = { type: 'string', enum: ['ok'] };
const DEPENDENCIES = {
  type: 'object',
  additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } },
};

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongooseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and its event loop turns' })
  @ApiOkResponse({ schema: { type: 'object', required: ['status'], properties: { status: STATUS_OK }, example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: MongoDB and Redis answer' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status', 'info', 'error', 'details'],
      properties: { status: STATUS_OK, info: DEPENDENCIES, error: DEPENDENCIES, details: DEPENDENCIES },
      example: { status: 'ok', info: { mongo: { status: 'up' }, redis: { status: 'up' } }, error: {}, details: {} },
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'A dependency is down; the message names it',
    schema: { example: { statusCode: 503, error: 'Service Unavailable', message: 'Not ready: redis', code: 'not_ready' } },
  })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.mongo.pingCheck('mongo', { timeout: 1500 }), () => this.redis.check('redis', 1000)]);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const result = err.getResponse() as HealthCheckResult;
      const failed = Object.keys(result.error ?? {});
      throw new ServiceUnavailableException({
        code: 'not_ready',
        message: `Not ready: ${failed.join(', ') || 'unknown dependency'}`,
        details: result.details,
      });
    }
  }
}
