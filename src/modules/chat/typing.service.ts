import { HttpStatus, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AppError } from '@app/common';
import { RealtimeEmitter } from '@app/realtime';
import { AppConfig } from '../../config/index.js';
import { type ChatAccess, ChatAccessService } from './chat-access.service.js';

interface Typing {
  access: ChatAccess;
  timer: NodeJS.Timeout;
  relayedAt: number;
}

/** Typing events one socket may send per window; beyond it they are refused (`rate_limited`). */
export const TYPING_LIMIT = { events: 20, windowMs: 10_000 };

/**
 * chat:typing relay. State lives in the process holding the socket (a socket never moves), keyed by
 * socket and chat: a `typing: true` that is not renewed within the timeout stops by itself (the peer
 * gets `typing: false`), as does every indicator of a socket that disconnects. Renewals are relayed
 * at most every half timeout, so a client renewing every second does not flood the peer.
 */
@Injectable()
export class TypingService implements OnModuleDestroy {
  private readonly active = new Map<string, Typing>();
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly access: ChatAccessService,
    private readonly realtime: RealtimeEmitter,
    private readonly config: AppConfig,
  ) {}

  async update(
    socketId: string,
    userId: string,
    target: { chatId?: string; peerId?: string },
    typing: boolean,
  ): Promise<{ chatId: string; typing: boolean }> {
    this.countEvent(socketId);
    const access = await this.access.resolve(userId, target);
    const key = `${socketId}|${access.chatId}`;
    const current = this.active.get(key);
    if (!typing) {
      if (current) this.stop(key);
      return { chatId: access.chatId, typing: false };
    }
    const timeout = this.config.chat.typingTimeoutMs;
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => this.stop(key), timeout).unref();
    const now = Date.now();
    const relay = !current || now - current.relayedAt >= timeout / 2;
    this.active.set(key, { access, timer, relayedAt: relay ? now : (current?.relayedAt ?? now) });
    if (relay) this.relay(access, true);
    return { chatId: access.chatId, typing: true };
  }

  /** Every indicator of a closed socket stops now. */
  socketClosed(socketId: string): void {
    this.windows.delete(socketId);
    for (const key of this.active.keys()) if (key.startsWith(`${socketId}|`)) this.stop(key);
  }

  onModuleDestroy(): void {
    for (const t of this.active.values()) clearTimeout(t.timer);
    this.active.clear();
  }

  private stop(key: string): void {
    const current = this.active.get(key);
    if (!current) return;
    clearTimeout(current.timer);
    this.active.delete(key);
    this.relay(current.access, false);
  }

  private relay(access: ChatAccess, typing: boolean): void {
    this.realtime.toUser(access.peerId, 'chat:typing', { chatId: access.chatId, userId: access.userId, typing });
  }

  private countEvent(socketId: string): void {
    const now = Date.now();
    const w = this.windows.get(socketId);
    if (!w || now - w.start >= TYPING_LIMIT.windowMs) {
      this.windows.set(socketId, { start: now, count: 1 });
      return;
    }
    w.count += 1;
    if (w.count > TYPING_LIMIT.events) {
      const retryAfterSeconds = Math.max(1, Math.ceil((w.start + TYPING_LIMIT.windowMs - now) / 1000));
      throw new AppError(HttpStatus.TOO_MANY_REQUESTS, 'rate_limited', 'Too many typing events', { retryAfterSeconds });
    }
  }
}
