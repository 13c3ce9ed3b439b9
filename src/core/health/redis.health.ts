import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { RedisFactory } from '../redis/index.js';

/** Pings Redis on a dedicated connection that fails fast instead of queueing while Redis is away. */
@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private readonly client: Redis;

  constructor(
    factory: RedisFactory,
    private readonly indicator: HealthIndicatorService,
  ) {
    this.client = factory.create('health', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: () => 1000,
    });
  }

  async check(key: string, timeoutMs = 1000) {
    const session = this.indicator.check(key);
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([this.client.ping(), timeout]).finally(() => clearTimeout(timer));
      return session.up();
    } catch (err) {
      return session.down({ message: err instanceof Error ? err.message : String(err) });
    }
  }

  onModuleDestroy(): void {
    this.client.disconnect();
  }
}
