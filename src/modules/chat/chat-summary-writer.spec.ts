import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatRepository, ChatSummary } from './chat.repository.js';
import { ChatSummaryWriter, SUMMARY_FLUSH_MS } from './chat-summary-writer.js';

const A = '665f1c2b9a1e4d3f2a1b0c9a';
const B = '665f1c2b9a1e4d3f2a1b0c9b';
const C = '665f1c2b9a1e4d3f2a1b0c9e';
const CHAT_AB = '665f1c2b9a1e4d3f2a1b0c9c';
const CHAT_BC = '665f1c2b9a1e4d3f2a1b0c9d';
const at = new Date('2026-12-01T12:00:00.000Z');
const s = (seq: number): ChatSummary => ({ seq, messageId: `665f1c2b9a1e4d3f2a1b${seq.toString(16).padStart(4, '0')}`, at });

/** The coalescing rules of ChatSummaryWriter with the repository replaced. */
describe('ChatSummaryWriter', () => {
  afterEach(() => vi.useRealTimers());

  function writerWith(writeSummary = vi.fn((_chatId: string, _s: ChatSummary) => Promise.resolve())) {
    return { writer: new ChatSummaryWriter({ writeSummary } as unknown as ChatRepository), writeSummary };
  }

  it('a burst in one chat becomes one write with its newest message, whatever order the sends stored in', async () => {
    vi.useFakeTimers();
    const { writer, writeSummary } = writerWith();
    for (const seq of [3, 5, 4]) writer.record(CHAT_AB, [A, B], s(seq));
    writer.record(CHAT_BC, [B, C], s(1));
    expect(writeSummary).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(SUMMARY_FLUSH_MS);
    expect(writeSummary.mock.calls.map(([chatId, summary]) => [chatId, summary.seq])).toEqual([
      [CHAT_AB, 5],
      [CHAT_BC, 1],
    ]);
  });

  it('a failed write is kept and written again; nothing newer is lost meanwhile', async () => {
    vi.useFakeTimers();
    const writeSummary = vi.fn((_chatId: string, _s: ChatSummary) => Promise.resolve());
    writeSummary.mockRejectedValueOnce(new Error('database away'));
    const { writer } = writerWith(writeSummary);
    writer.record(CHAT_AB, [A, B], s(2));
    await vi.advanceTimersByTimeAsync(SUMMARY_FLUSH_MS);
    writer.record(CHAT_AB, [A, B], s(1)); // older: does not replace the kept one
    await writer.flush();
    expect(writeSummary.mock.calls.map(([, summary]) => summary.seq)).toEqual([2, 2]);
  });

  it("settle writes now only what is pending for the user's chats", async () => {
    const { writer, writeSummary } = writerWith();
    writer.record(CHAT_AB, [A, B], s(7));
    writer.record(CHAT_BC, [B, C], s(2));
    await writer.settle(A);
    expect(writeSummary.mock.calls.map(([chatId]) => chatId)).toEqual([CHAT_AB]);
    await writer.settle(A); // nothing left for A
    await writer.beforeApplicationShutdown(); // the rest on shutdown
    expect(writeSummary.mock.calls.map(([chatId]) => chatId)).toEqual([CHAT_AB, CHAT_BC]);
  });
});
