import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { RedisFactory } from '../../core/redis/index.js';
import { REDIS, type Redis } from '../../core/redis/redis.module.js';
import { ChatRepository } from './chat.repository.js';
import { ChatSummaryWriter } from './chat-summary-writer.js';
import { INFLIGHT_STALE_MS, InflightSends } from './inflight-sends.js';
import { MessageRepository } from './message.repository.js';
import type { ChatRecord } from './schemas/chat.schema.js';
import { SeqCounters } from './seq-counters.js';

/**
 * How long a send's (sender, clientMessageId) -> seq entry stays in Redis. Retries come within
 * seconds; a later one (or one after Redis lost the entry) takes a new seq, loses the insert to the
 * original on the unique `_id` and answers with it, leaving that seq unused (a gap, docs/chat.md).
 * Bounds Redis memory at about (send rate x this) small keys.
 */
export const SEND_DEDUPE_TTL_MS = 10 * 60_000;

/**
 * KEYS: the chat's seq counter, the send's dedupe entry, the chat's in-flight sorted set.
 * ARGV: now (ms), the send's in-flight token, dedupe TTL, in-flight set TTL, stale age, '1' = skip the
 * dedupe entry (its copy finished without storing: take a new seq).
 * Returns {0, seq} a new seq, marked; {1, seq} a copy of this send holds seq and is still in flight,
 * marked again with this token; {2, seq} a copy took seq and is no longer in flight, not marked;
 * {3, 0} the counter is missing (seed it, then call again), not marked.
 */
const RESERVE = `
if ARGV[6] ~= '1' then
  local prior = redis.call('GET', KEYS[2])
  if prior then
    local sep = string.find(prior, ':', 1, true)
    local seq = tonumber(string.sub(prior, 1, sep - 1))
    local score = redis.call('ZSCORE', KEYS[3], string.sub(prior, sep + 1))
    if score and tonumber(score) >= tonumber(ARGV[1]) - tonumber(ARGV[5]) then
      redis.call('ZADD', KEYS[3], ARGV[1], ARGV[2])
      redis.call('PEXPIRE', KEYS[3], ARGV[4])
      return {1, seq}
    end
    return {2, seq}
  end
end
if redis.call('EXISTS', KEYS[1]) == 0 then return {3, 0} end
local seq = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], seq .. ':' .. ARGV[2], 'PX', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return {0, seq}
`;

/**
 * KEYS: the chat's seq counter. ARGV: the floor. Sets the counter to the floor when it is missing or
 * lower (never lowers it) and returns the counter: two processes seeding at once end at the larger of
 * their floors, and an INCR between them is never handed out again.
 */
const RAISE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
local floor = tonumber(ARGV[1])
if floor > current then
  redis.call('SET', KEYS[1], floor)
  return floor
end
return current
`;

/** Counters seeded at once by `latest`. */
const SEED_CONCURRENCY = 8;

export type Slot =
  /** A new seq, marked in flight. */
  | { kind: 'fresh'; seq: number }
  /** Another copy of this send holds `seq` and is still in flight: store under it too (marked). */
  | { kind: 'pending'; seq: number }
  /** Another copy took `seq` and finished: look the original up (not marked). */
  | { kind: 'settled'; seq: number };

interface SlotCommands {
  chatReserveSeq(seqKey: string, dedupeKey: string, inflightKey: string, ...argv: Array<string | number>): Promise<[number, number]>;
  chatRaiseSeq(seqKey: string, floor: number): Promise<number>;
}

/**
 * Seq allocation, the idempotency check and the in-flight mark of a send in ONE Redis round trip (a
 * Lua script keyed by chat, run by EVALSHA; ioredis falls back to EVAL after a Redis restart). The
 * counter is re-seeded from the database when Redis has lost it; the unique `(chatId, seq)` and
 * `(senderId, clientMessageId)` indexes stay the final guard (MessageSender handles their E11000).
 */
@Injectable()
export class SendSlots implements OnModuleInit {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisFactory,
    private readonly counters: SeqCounters,
    private readonly inflight: InflightSends,
    private readonly chats: ChatRepository,
    private readonly messages: MessageRepository,
    private readonly summaries: ChatSummaryWriter,
  ) {}

  onModuleInit(): void {
    // Idempotent per client: both MessageSender's module and a test may ask.
    if (!('chatReserveSeq' in this.redis)) {
      this.redis.defineCommand('chatReserveSeq', { numberOfKeys: 3, lua: RESERVE });
      this.redis.defineCommand('chatRaiseSeq', { numberOfKeys: 1, lua: RAISE });
    }
  }

  /** A send's in-flight token: pass it to `reserve` (every attempt of one send) and to `release`. */
  token(): string {
    return randomBytes(8).toString('hex');
  }

  /**
   * The seq for message `messageId` of the chat. `fresh`: ignore the dedupe entry (its copy finished and
   * nothing was stored, or the seq it named collided). Seeds the counter first when it is missing.
   */
  async reserve(chatId: string, participants: [string, string], messageId: string, token: string, fresh = false): Promise<Slot> {
    for (let attempt = 0; ; attempt++) {
      const [code, seq] = await this.commands.chatReserveSeq(
        this.counters.key(chatId),
        this.dedupeKey(chatId, messageId),
        this.inflight.key(chatId, 'sends'),
        Date.now(),
        token,
        SEND_DEDUPE_TTL_MS,
        INFLIGHT_STALE_MS * 6,
        INFLIGHT_STALE_MS,
        fresh ? '1' : '0',
      );
      if (code === 0) return { kind: 'fresh', seq };
      if (code === 1) return { kind: 'pending', seq };
      if (code === 2) return { kind: 'settled', seq };
      // Missing counter: seeded, then asked again. A second miss means Redis is being emptied right now.
      if (attempt >= 2) throw new Error(`seq counter of chat ${chatId} vanished while seeding`);
      await this.seed(chatId, participants);
    }
  }

  /** Unmarks the send (not awaited: see InflightSends.end). */
  release(chatId: string, token: string): void {
    this.inflight.end(chatId, token);
  }

  /**
   * Raises the counter to max(chat.lastSeq, the highest stored seq): on a missing counter (Redis lost
   * it, or the chat predates the counters), and after a seq collision (the counter was re-seeded below a
   * seq still being stored when Redis came back). Creates the chat document on its first message, so a
   * chat id the client learns from the ack is always found. Returns the counter.
   */
  async seed(chatId: string, participants: [string, string]): Promise<number> {
    const [chat, newest] = await Promise.all([this.chats.findById(chatId), this.messages.newestOf(chatId)]);
    if (!chat) await this.chats.upsert(chatId, participants);
    const summarised = chat?.lastSeq ?? 0;
    // A summary lost with a killed process: written again from the newest stored message.
    if (newest && newest.seq > summarised) {
      this.summaries.record(chatId, participants, { seq: newest.seq, messageId: newest._id.toHexString(), at: newest.createdAt });
    }
    return this.commands.chatRaiseSeq(this.counters.key(chatId), Math.max(summarised, newest?.seq ?? 0));
  }

  /**
   * chat:sync's view of the user's chats: `lastSeq` raised to the Redis counter (the summary may lag;
   * the counter is at or above every stored seq). A missing counter is seeded here (once per chat after
   * Redis lost it), because a summary lost with a killed process would otherwise hide that chat's
   * newest messages from sync until its next send. Throws when Redis does not answer.
   */
  async latest(chats: ChatRecord[]): Promise<ChatRecord[]> {
    const counters = await this.counters.read(chats.map((c) => c._id.toHexString()));
    const out: ChatRecord[] = [];
    for (let i = 0; i < chats.length; i += SEED_CONCURRENCY) {
      const part = chats.slice(i, i + SEED_CONCURRENCY).map(async (chat, j) => {
        const participants = chat.participants.map((p) => p.toHexString()) as [string, string];
        const counter = counters[i + j] ?? (await this.seed(chat._id.toHexString(), participants));
        return counter > chat.lastSeq ? { ...chat, lastSeq: counter } : chat;
      });
      out.push(...(await Promise.all(part)));
    }
    return out;
  }

  private dedupeKey(chatId: string, messageId: string): string {
    return this.keys.key('chat', chatId, 'sent', messageId);
  }

  private get commands(): SlotCommands {
    return this.redis as unknown as SlotCommands;
  }
}
