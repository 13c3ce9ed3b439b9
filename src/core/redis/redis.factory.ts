import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { AppConfig } from '../../config/index.js';
import { redisOptionsFromUrl } from './redis-options.js';

/**
 * The one place Redis connections are made. Every client gets the configured URL, a name that shows
 * up in CLIENT LIST, and is closed on shutdown. Key prefixing is left to callers (BullMQ and the
 * Socket.IO adapter have their own prefix options; app keys use `key()`).
 */
@Injectable()
export class RedisFactory implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisFactory.name);
  private readonly clients = new Set<Redis>();

  constructor(private readonly config: AppConfig) {}

  options(overrides: RedisOptions = {}): RedisOptions {
    return { ...redisOptionsFromUrl(this.config.redis.url), ...overrides };
  }

  create(name: string, overrides: RedisOptions = {}): Redis {
    const client = new Redis({ connectionName: `${this.config.redis.prefix}:${name}`, ...this.options(overrides) });
    client.on('error', (err: Error) => this.logger.warn({ err: err.message, client: name }, 'redis client error'));
    this.clients.add(client);
    client.once('end', () => this.clients.delete(client));
    return client;
  }

  /** A key inside this deployment's namespace. */
  key(...parts: Array<string | number>): string {
    return [this.config.redis.prefix, ...parts].join(':');
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.clients].map((c) => c.quit().catch(() => c.disconnect())));
    this.clients.clear();
  }
}
