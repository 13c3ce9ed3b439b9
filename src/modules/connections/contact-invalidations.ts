import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RedisFactory } from '../../core/redis/index.js';
import { REDIS, type Redis } from '../../core/redis/redis.module.js';
import { ContactCache } from './contact-cache.js';

/** Pairs, and at most this many: beyond it the oldest answers are dropped (about 150 bytes each). */
export const CONTACT_CACHE_MAX_PAIRS = 100_000;

/**
 * Keeps every process's ContactCache in step: each change that can flip "may these two interact"
 * (connection created or removed, block, unblock, account deletion) clears the pair here at once and
 * is published on one Redis channel that every api and worker process subscribes to.
 *
 * Pub/sub is at-most-once: a message published while a subscriber is reconnecting is lost to it. So
 * the cache is off while the subscription is down and cleared when it is back, and a publish that
 * fails (Redis away) is left to the cache's TTL, which bounds staleness in every case.
 */
@Injectable()
export class ContactInvalidations implements OnModuleInit {
  private readonly logger = new Logger(ContactInvalidations.name);
  private readonly channel: string;

  constructor(
    private readonly cache: ContactCache,
    private readonly factory: RedisFactory,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.channel = factory.key('contacts', 'changed');
  }

  onModuleInit(): void {
    // Subscribed by hand on every `ready` (not ioredis' autoResubscribe) so the cache turns on only
    // once the subscription is confirmed, and starts empty each time.
    const subscriber = this.factory.create('contacts-sub', { autoResubscribe: false });
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => {
          this.cache.clear();
          this.cache.live = true;
        },
        (err: unknown) => this.logger.warn({ err }, 'contact cache: subscribing failed; checks go to the database'),
      );
    });
    subscriber.on('close', () => {
      this.cache.live = false;
      this.cache.clear();
    });
    subscriber.on('message', (_channel: string, message: string) => this.apply(message));
  }

  /** The pair's connection or block changed (call after the write, before answering the request). */
  pairChanged(a: string, b: string): Promise<void> {
    this.cache.invalidatePair(a, b);
    return this.publish(`p:${a}:${b}`);
  }

  /** An account is gone: every pair it was part of. */
  userChanged(userId: string): Promise<void> {
    this.cache.invalidateUser(userId);
    return this.publish(`u:${userId}`);
  }

  private async publish(message: string): Promise<void> {
    try {
      await this.redis.publish(this.channel, message);
    } catch (err) {
      this.logger.warn({ err, message }, 'contact cache: invalidation not published; other processes catch up within the TTL');
    }
  }

  private apply(message: string): void {
    const [kind, a, b] = message.split(':');
    if (kind === 'p' && a && b) this.cache.invalidatePair(a, b);
    else if (kind === 'u' && a) this.cache.invalidateUser(a);
  }
}
