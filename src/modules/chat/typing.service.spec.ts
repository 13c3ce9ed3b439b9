import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RealtimeEmitter } from '@app/realtime';
import type { AppConfig } from '../../config/index.js';
import type { ChatAccess, ChatAccessService } from './chat-access.service.js';
import { TYPING_LIMIT, TypingService } from './typing.service.js';

const access: ChatAccess = { chatId: 'c', userId: 'me', peerId: 'peer', participants: ['me', 'peer'] };

describe('TypingService', () => {
  let toUser: ReturnType<typeof vi.fn>;
  let typing: TypingService;
  beforeEach(() => {
    vi.useFakeTimers();
    toUser = vi.fn();
    typing = new TypingService(
      { resolve: () => Promise.resolve(access) } as unknown as ChatAccessService,
      { toUser } as unknown as RealtimeEmitter,
      { chat: { typingTimeoutMs: 6000 } } as unknown as AppConfig,
    );
  });
  afterEach(() => {
    typing.onModuleDestroy();
    vi.useRealTimers();
  });
  const relayed = () => toUser.mock.calls.map((c) => (c[2] as { typing: boolean }).typing);

  it('relays to the peer only, stops by itself after the timeout without renewal', async () => {
    await typing.update('s1', 'me', { chatId: 'c' }, true);
    expect(toUser).toHaveBeenCalledWith('peer', 'chat:typing', { chatId: 'c', userId: 'me', typing: true });
    vi.advanceTimersByTime(5999);
    expect(relayed()).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(relayed()).toEqual([true, false]);
  });

  it('renewals keep it on, relayed at most every half timeout', async () => {
    for (let i = 0; i < 10; i++) {
      await typing.update('s1', 'me', { chatId: 'c' }, true);
      vi.advanceTimersByTime(1000);
    }
    // 10 s of renewals every second: relayed at 0, 3 s, 6 s, 9 s; never stopped.
    expect(relayed()).toEqual([true, true, true, true]);
    await typing.update('s1', 'me', { chatId: 'c' }, false);
    expect(relayed()).toEqual([true, true, true, true, false]);
    vi.advanceTimersByTime(10_000);
    expect(relayed()).toHaveLength(5);
  });

  it('a closed socket stops its indicators; a stop without a start relays nothing', async () => {
    await typing.update('s1', 'me', { chatId: 'c' }, false);
    expect(relayed()).toEqual([]);
    await typing.update('s1', 'me', { chatId: 'c' }, true);
    typing.socketClosed('s1');
    expect(relayed()).toEqual([true, false]);
  });

  it('refuses a socket sending more typing events than the limit per window', async () => {
    for (let i = 0; i < TYPING_LIMIT.events; i++) await typing.update('s1', 'me', { chatId: 'c' }, i % 2 === 0);
    await expect(typing.update('s1', 'me', { chatId: 'c' }, true)).rejects.toMatchObject({ response: { code: 'rate_limited' } });
    // Another socket is not affected; the window passes.
    await expect(typing.update('s2', 'me', { chatId: 'c' }, true)).resolves.toEqual({ chatId: 'c', typing: true });
    vi.advanceTimersByTime(TYPING_LIMIT.windowMs);
    await expect(typing.update('s1', 'me', { chatId: 'c' }, true)).resolves.toEqual({ chatId: 'c', typing: true });
  });
});
