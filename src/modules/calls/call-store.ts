import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { IceCandidatePayload } from '@app/realtime';
import { REDIS, RedisFactory } from '../../core/redis/index.js';
import type { CallRole } from './calls.jobs.js';

/**
 * Call state that must be atomic across api processes, in Redis. Keys (under `<prefix>:calls:`):
 *   busy:<userId>          string  the call the user is in (ringing or active): one call per user
 *   route:<callId>         hash    role -> socket id of that party's active device (absent: none yet / reconnecting)
 *   held:<callId>:<role>   list    candidate batches for a role with no device yet, handed over on accept/resume
 *   live                   zset    "<callId>|<role>" -> last heartbeat (Redis time, ms) of the process holding that device
 *   invites:<userId>:<min> counter invites started in that minute (rate limit)
 * Each multi-key change is one Lua script (single Redis node or Sentinel, not Redis Cluster).
 */

/** Keys stay at most this long if a call is never cleaned up (its process died and nothing swept it). */
const SAFETY_TTL_MS = 12 * 3600_000;
/** Most candidate batches held for a party with no device yet (about 20 x CALL_MAX_CANDIDATES_PER_EVENT candidates). */
const MAX_HELD_BATCHES = 20;

// KEYS: busy caller, busy callee. ARGV: callId, ttl. Both locks or none: { 0 } taken, { 1, holder } caller
// busy, { 2, holder } callee busy.
const ACQUIRE = `
local a = redis.call('GET', KEYS[1])
if a and a ~= ARGV[1] then return { 1, a } end
local b = redis.call('GET', KEYS[2])
if b and b ~= ARGV[1] then return { 2, b } end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return { 0 }`;

// KEYS: busy locks. ARGV: callId. Deletes each lock only if it is still this call's.
const RELEASE = `
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end
end
return 1`;

// KEYS: route, held. ARGV: role, socketId, ttl. The role's device is now socketId; returns what was held for it.
const ATTACH = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local held = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2])
return held`;

// KEYS: route. ARGV: role, socketId. The role's device is gone (only if it is still that socket).
const DETACH = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1`;

// KEYS: route, held. ARGV: target role, batch (JSON), ttl, max batches. The target's socket id, or
// false after holding the batch for it (-1 if too many are held already): decided atomically with
// ATTACH, so no batch is lost between "no device yet" and the hand-over.
const RELAY = `
local s = redis.call('HGET', KEYS[1], ARGV[1])
if s then return s end
if redis.call('LLEN', KEYS[2]) >= tonumber(ARGV[4]) then return -1 end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return false`;

const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: live. ARGV: members. Refreshes members still listed; returns those that are gone (call ended).
const BEAT = `${NOW_MS}
local gone = {}
for _, m in ipairs(ARGV) do
  if redis.call('ZSCORE', KEYS[1], m) then redis.call('ZADD', KEYS[1], now, m) else table.insert(gone, m) end
end
return gone`;

// KEYS: live. ARGV: member.
const ADD_LIVE = `${NOW_MS}
redis.call('ZADD', KEYS[1], now, ARGV[1])
return 1`;

// KEYS: live. ARGV: deadAfterMs. Members whose process stopped beating.
const STALE = `${NOW_MS}
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))`;

export type AcquireResult = { ok: true } | { ok: false; busy: CallRole; holder: string };

export const liveMember = (callId: string, role: CallRole): string => `${callId}|${role}`;
export function parseLiveMember(member: string): { callId: string; role: CallRole } | null {
  const [callId, role] = member.split('|');
  return role === 'caller' || role === 'callee' ? { callId, role } : null;
}

@Injectable()
export class CallStore {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    factory: RedisFactory,
  ) {
    this.prefix = factory.key('calls') + ':';
  }

  private k(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  async acquire(callerId: string, calleeId: string, callId: string): Promise<AcquireResult> {
    const res = (await this.redis.eval(ACQUIRE, 2, this.k('busy', callerId), this.k('busy', calleeId), callId, SAFETY_TTL_MS)) as [
      number,
      string?,
    ];
    if (res[0] === 0) return { ok: true };
    return { ok: false, busy: res[0] === 1 ? 'caller' : 'callee', holder: String(res[1]) };
  }

  async release(callId: string, userIds: readonly string[]): Promise<void> {
    await this.redis.eval(RELEASE, userIds.length, ...userIds.map((u) => this.k('busy', u)), callId);
  }

  async attach(callId: string, role: CallRole, socketId: string): Promise<IceCandidatePayload[]> {
    const held = (await this.redis.eval(
      ATTACH,
      2,
      this.k('route', callId),
      this.k('held', callId, role),
      role,
      socketId,
      SAFETY_TTL_MS,
    )) as string[];
    return held.flatMap((batch) => JSON.parse(batch) as IceCandidatePayload[]);
  }

  async detach(callId: string, role: CallRole, socketId: string): Promise<void> {
    await this.redis.eval(DETACH, 1, this.k('route', callId), role, socketId);
  }

  /** The target's socket (relay now), `held` (handed over when it gets a device) or `full`. */
  async relay(callId: string, target: CallRole, candidates: IceCandidatePayload[]): Promise<{ socketId: string } | 'held' | 'full'> {
    const res = (await this.redis.eval(
      RELAY,
      2,
      this.k('route', callId),
      this.k('held', callId, target),
      target,
      JSON.stringify(candidates),
      SAFETY_TTL_MS,
      MAX_HELD_BATCHES,
    )) as string | number | null;
    if (res === -1) return 'full';
    return typeof res === 'string' ? { socketId: res } : 'held';
  }

  async routeOf(callId: string, role: CallRole): Promise<string | null> {
    return this.redis.hget(this.k('route', callId), role);
  }

  /** Everything of a finished call but its busy locks (released by `release`). */
  async clear(callId: string): Promise<void> {
    await this.redis
      .multi()
      .del(this.k('route', callId), this.k('held', callId, 'caller'), this.k('held', callId, 'callee'))
      .zrem(this.k('live'), liveMember(callId, 'caller'), liveMember(callId, 'callee'))
      .exec();
  }

  async addLive(callId: string, role: CallRole): Promise<void> {
    await this.redis.eval(ADD_LIVE, 1, this.k('live'), liveMember(callId, role));
  }

  /** Heartbeat of this process's devices; returns the members whose call is over (stop beating them). */
  async beat(members: readonly string[]): Promise<string[]> {
    if (members.length === 0) return [];
    return (await this.redis.eval(BEAT, 1, this.k('live'), ...members)) as string[];
  }

  async stale(deadAfterMs: number): Promise<string[]> {
    return (await this.redis.eval(STALE, 1, this.k('live'), deadAfterMs)) as string[];
  }

  async removeLive(member: string): Promise<void> {
    await this.redis.zrem(this.k('live'), member);
  }

  /** Counts an invite; the seconds to wait when over `perMinute`, else 0. */
  async countInvite(userId: string, perMinute: number, nowMs = Date.now()): Promise<number> {
    const minute = Math.floor(nowMs / 60_000);
    const key = this.k('invites', userId, String(minute));
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, 120_000).exec()) as [[null, number], [null, number]];
    return count > perMinute ? Math.max(1, Math.ceil(((minute + 1) * 60_000 - nowMs) / 1000)) : 0;
  }
}
