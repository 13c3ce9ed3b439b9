import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { REDIS, RedisFactory } from '../../core/redis/index.js';

/**
 * Presence state in Redis, shared by every api process. Keys (under `<prefix>:presence:`):
 *   sockets:<userId>      hash    "<procId>|<socketId>" -> connectedAt: the user's open sockets, all processes
 *   online                set     users announced online (their peers were told so)
 *   procs                 hash    procId -> last heartbeat (Redis server time, ms): live api processes
 *   proc-users:<procId>   set     users a process must settle (has or had their sockets): swept when it dies
 *   left:<userId>         string  when the user's latest socket closed (Redis time, ms): their lastSeen once settled
 * Every transition is one Lua script, so two processes never both announce the same change.
 * (Several keys per script: single Redis node or Sentinel, not Redis Cluster.)
 */

const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: sockets, online, procUsers. ARGV: field, userId. Returns 1 when the user just came online.
const CONNECT = `
redis.call('HSET', KEYS[1], ARGV[1], redis.call('TIME')[1])
redis.call('SADD', KEYS[3], ARGV[2])
return redis.call('SADD', KEYS[2], ARGV[2])`;

// KEYS: sockets, left. ARGV: field. Removes the socket and records when (kept a day: read only while settling).
const DISCONNECT = `${NOW_MS}
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], now, 'PX', 86400000)
return now`;

// KEYS: sockets, online, procUsers, left. ARGV: userId, procId. Runs a grace period after a socket closed.
// When the user has no socket left anywhere and was online, they are now offline: returns when their
// latest socket closed (ms). Otherwise 0.
const SETTLE = `
local fields = redis.call('HKEYS', KEYS[1])
local mine = false
local prefix = ARGV[2] .. '|'
for _, f in ipairs(fields) do
  if string.sub(f, 1, #prefix) == prefix then mine = true end
end
if not mine then redis.call('SREM', KEYS[3], ARGV[1]) end
if #fields > 0 then return 0 end
if redis.call('SREM', KEYS[2], ARGV[1]) == 0 then return 0 end
return tonumber(redis.call('GET', KEYS[4]) or '1')`;

// KEYS: procs. ARGV: procId. Records a heartbeat at Redis server time (no clock skew between hosts);
// returns { now, 1 if the process was registered before }.
const BEAT = `${NOW_MS}
local created = redis.call('HSET', KEYS[1], ARGV[1], now)
return { now, 1 - created }`;

// KEYS: procs. ARGV: deadAfterMs. The processes whose last heartbeat is older than deadAfterMs.
const DEAD = `${NOW_MS}
local all = redis.call('HGETALL', KEYS[1])
local dead = {}
for i = 1, #all, 2 do
  if now - tonumber(all[i + 1]) > tonumber(ARGV[1]) then
    table.insert(dead, all[i])
    table.insert(dead, all[i + 1])
  end
end
return dead`;

// KEYS: procs, online, procUsers. ARGV: procId, keyPrefix ("<prefix>:presence:"), lastBeat.
// Removes a dead process and its sockets; returns [userId, lastSeenMs, ...] for the users now offline:
// if they were still connected there when it died, its last heartbeat (or when another of their sockets
// closed, if that was later); else when their latest socket closed.
// Atomic, so when several processes sweep at once exactly one reaps (the others find the process gone).
const REAP = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[3] then return {} end
local offline = {}
local prefix = ARGV[1] .. '|'
for _, userId in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local key = ARGV[2] .. 'sockets:' .. userId
  local wasConnected = false
  for _, f in ipairs(redis.call('HKEYS', key)) do
    if string.sub(f, 1, #prefix) == prefix then
      redis.call('HDEL', key, f)
      wasConnected = true
    end
  end
  if redis.call('HLEN', key) == 0 and redis.call('SREM', KEYS[2], userId) == 1 then
    local left = tonumber(redis.call('GET', ARGV[2] .. 'left:' .. userId) or '0')
    local beat = tonumber(ARGV[3])
    table.insert(offline, userId)
    -- Still connected there: seen until its last heartbeat, or later if another device left after it.
    if wasConnected or left == 0 then table.insert(offline, math.max(beat, left)) else table.insert(offline, left) end
  end
end
redis.call('DEL', KEYS[3])
redis.call('HDEL', KEYS[1], ARGV[1])
return offline`;

@Injectable()
export class PresenceStore {
  /** This process, unique across hosts and restarts. */
  readonly procId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    factory: RedisFactory,
  ) {
    this.prefix = factory.key('presence') + ':';
  }

  /**
   * Calls `listener` each time the Redis connection is ready again (after a restart or a network cut),
   * so presence is re-registered at once instead of at the next heartbeat. Returns the unsubscribe.
   */
  onReconnected(listener: () => void): () => void {
    this.redis.on('ready', listener);
    return () => this.redis.off('ready', listener);
  }

  private k(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  private field(socketId: string): string {
    return `${this.procId}|${socketId}`;
  }

  /** Records an open socket; true when the user was offline until now. */
  async connect(userId: string, socketId: string): Promise<boolean> {
    const res = await this.redis.eval(
      CONNECT,
      3,
      this.k('sockets', userId),
      this.k('online'),
      this.k('proc-users', this.procId),
      this.field(socketId),
      userId,
    );
    return res === 1;
  }

  async disconnect(userId: string, socketId: string): Promise<void> {
    await this.redis.eval(DISCONNECT, 2, this.k('sockets', userId), this.k('left', userId), this.field(socketId));
  }

  /** After the grace period: if the user is now offline (no socket anywhere), when their last socket closed. */
  async settle(userId: string): Promise<Date | null> {
    const res = await this.redis.eval(
      SETTLE,
      4,
      this.k('sockets', userId),
      this.k('online'),
      this.k('proc-users', this.procId),
      this.k('left', userId),
      userId,
      this.procId,
    );
    return Number(res) > 0 ? new Date(Number(res)) : null;
  }

  /**
   * Heartbeat. `known` is false on the first beat and when sweepers took this process for dead (an event
   * loop stalled past the bound): its sockets must then be registered again.
   */
  async beat(): Promise<{ now: number; known: boolean }> {
    const [now, known] = (await this.redis.eval(BEAT, 1, this.k('procs'), this.procId)) as [number, number];
    return { now: Number(now), known: known === 1 };
  }

  /** Makes this process look `ageMs` old, so sweepers reap it once `deadAfterMs - ageMs` passes (shutdown). */
  async backdate(ageMs: number): Promise<void> {
    const { now } = await this.beat();
    await this.redis.hset(this.k('procs'), this.procId, now - ageMs);
  }

  /** Dead processes and their last heartbeat. */
  async deadProcesses(deadAfterMs: number): Promise<Array<{ procId: string; lastBeat: number }>> {
    const flat = (await this.redis.eval(DEAD, 1, this.k('procs'), deadAfterMs)) as string[];
    const out: Array<{ procId: string; lastBeat: number }> = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ procId: flat[i], lastBeat: Number(flat[i + 1]) });
    return out;
  }

  /** Removes a dead process's sockets; the users who are offline as a result, with their lastSeen. */
  async reap(procId: string, lastBeat: number): Promise<Array<{ userId: string; lastSeen: Date }>> {
    const flat = (await this.redis.eval(
      REAP,
      3,
      this.k('procs'),
      this.k('online'),
      this.k('proc-users', procId),
      procId,
      this.prefix,
      String(lastBeat),
    )) as Array<string | number>;
    const out: Array<{ userId: string; lastSeen: Date }> = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ userId: String(flat[i]), lastSeen: new Date(Number(flat[i + 1])) });
    return out;
  }

  /** Which of `userIds` are online, in order. */
  async areOnline(userIds: readonly string[]): Promise<boolean[]> {
    if (userIds.length === 0) return [];
    const res = await this.redis.smismember(this.k('online'), ...userIds);
    return res.map((v) => v === 1);
  }

  /**
   * True while any socket of the user is open on any process (no grace period: a socket that just
   * closed no longer counts). Sockets of a killed process count until it is reaped.
   */
  async hasSockets(userId: string): Promise<boolean> {
    return (await this.redis.hlen(this.k('sockets', userId))) > 0;
  }

  /** Forgets a deleted user's state. */
  async forget(userId: string): Promise<void> {
    await this.redis.multi().del(this.k('sockets', userId), this.k('left', userId)).srem(this.k('online'), userId).exec();
  }
}
