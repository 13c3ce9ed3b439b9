import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/index.js';
import { RedisFactory } from '../../../core/redis/index.js';
import { REDIS, type Redis } from '../../../core/redis/redis.module.js';

/** How often one process records "last used" of a session in Redis, at most. */
const SEEN_EVERY_MS = 60_000;
const SEEN_CACHE_MAX = 50_000;

/**
 * The per-request session check, without a database round trip: a Redis key per live session
 * (`auth:session:<id>` -> userId). It is written at sign-in and at every refresh with a TTL a bit
 * longer than an access token lives, and deleted on revocation, so an access token is accepted only
 * while its session's key exists: one Redis GET (shared by every api process), and revocation takes
 * effect at once everywhere. If the key is missing, AccessTokens asks the database (revoked sessions stay
 * refused; a key lost when Redis came back empty is written again).
 */
@Injectable()
export class LiveSessions {
  private readonly logger = new Logger(LiveSessions.name);
  private readonly seenWritten = new Map<string, number>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
    private readonly config: AppConfig,
  ) {}

  private key(sessionId: string): string {
    return this.keys.key('auth', 'session', sessionId);
  }

  private seenKey(sessionId: string): string {
    return this.keys.key('auth', 'seen', sessionId);
  }

  async markLive(sessionId: string, userId: string): Promise<void> {
    await this.redis.set(this.key(sessionId), userId, 'EX', this.config.auth.accessTtlSeconds + 60);
  }

  async isLive(sessionId: string, userId: string): Promise<boolean> {
    return (await this.redis.get(this.key(sessionId))) === userId;
  }

  async kill(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    await this.redis.del(...sessionIds.flatMap((id) => [this.key(id), this.seenKey(id)]));
  }

  /** Records activity for "last used" in the sessions list; throttled per process, never awaited by requests. */
  touch(sessionId: string): void {
    const now = Date.now();
    const last = this.seenWritten.get(sessionId);
    if (last !== undefined && now - last < SEEN_EVERY_MS) return;
    if (this.seenWritten.size >= SEEN_CACHE_MAX) this.seenWritten.clear();
    this.seenWritten.set(sessionId, now);
    const ttl = this.config.auth.refreshTtlDays * 86_400;
    this.redis.set(this.seenKey(sessionId), String(now), 'EX', ttl).catch((err: unknown) => {
      this.logger.warn({ err, sessionId }, 'could not record session activity');
    });
  }

  async lastSeen(sessionIds: readonly string[]): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    if (sessionIds.length === 0) return out;
    const values = await this.redis.mget(...sessionIds.map((id) => this.seenKey(id)));
    values.forEach((v, i) => {
      if (v) out.set(sessionIds[i], new Date(Number(v)));
    });
    return out;
  }
}
