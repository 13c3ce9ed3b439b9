import { Types } from 'mongoose';
import { describe, expect, it, vi } from 'vitest';
import type { InflightSends } from './inflight-sends.js';
import type { MessageRepository, UnreadQuery } from './message.repository.js';
import type { ChatRecord } from './schemas/chat.schema.js';
import { UnreadCounts } from './unread-counts.js';

const reader = new Types.ObjectId().toHexString();
const peer = new Types.ObjectId().toHexString();
const chatId = new Types.ObjectId();

function chat(fields: Partial<ChatRecord>): ChatRecord {
  return {
    _id: chatId,
    participants: [new Types.ObjectId(reader), new Types.ObjectId(peer)],
    lastSeq: 5,
    changeSeq: 0,
    lastMessageId: null,
    lastActivityAt: new Date(),
    delivered: {},
    seen: {},
    cleared: {},
    mutedUntil: {},
    createdAt: new Date(),
    updatedAt: new Date(),
    ...fields,
  };
}

function setup(inFlight: { sends?: boolean; changes?: boolean } = {}) {
  let stored = 3;
  const unreadCounts = vi.fn((_reader: string, queries: UnreadQuery[]) => Promise.resolve(new Map(queries.map((q) => [q.chatId, stored]))));
  const busy = vi.fn((ids: readonly string[], lane = 'sends') =>
    Promise.resolve(new Set((lane === 'sends' ? inFlight.sends : inFlight.changes) ? ids : [])),
  );
  const counts = new UnreadCounts({ unreadCounts } as unknown as MessageRepository, { busy } as unknown as InflightSends);
  return { counts, unreadCounts, setStored: (n: number) => (stored = n) };
}

describe('UnreadCounts', () => {
  it('counts the peer messages in (max(seen, cleared), lastSeq] and remembers the count for the same chat state', async () => {
    const { counts, unreadCounts, setStored } = setup();
    const c = chat({ seen: { [reader]: 1 }, cleared: { [reader]: 2 } });
    expect((await counts.of(reader, [c])).get(chatId.toHexString())).toBe(3);
    expect(unreadCounts).toHaveBeenCalledWith(reader, [{ chatId: chatId.toHexString(), peerId: peer, aboveSeq: 2, upToSeq: 5 }]);
    setStored(99); // what the database would say is not asked again while nothing moved
    expect((await counts.of(reader, [c])).get(chatId.toHexString())).toBe(3);
    expect(unreadCounts).toHaveBeenCalledTimes(1);
  });

  it('counts again when a new message, a change or a marker moves the chat state', async () => {
    const { counts, unreadCounts, setStored } = setup();
    await counts.of(reader, [chat({})]);
    setStored(4);
    expect((await counts.of(reader, [chat({ lastSeq: 6 })])).get(chatId.toHexString())).toBe(4);
    setStored(2);
    expect((await counts.of(reader, [chat({ lastSeq: 6, changeSeq: 1 })])).get(chatId.toHexString())).toBe(2);
    setStored(1);
    expect((await counts.of(reader, [chat({ lastSeq: 6, changeSeq: 1, seen: { [reader]: 5 } })])).get(chatId.toHexString())).toBe(1);
    expect(unreadCounts).toHaveBeenCalledTimes(4);
  });

  it('does not remember a count taken while a send or a change of the chat is in flight', async () => {
    for (const inFlight of [{ sends: true }, { changes: true }]) {
      const { counts, unreadCounts } = setup(inFlight);
      await counts.of(reader, [chat({})]);
      await counts.of(reader, [chat({})]);
      expect(unreadCounts).toHaveBeenCalledTimes(2);
    }
  });

  it('asks nothing for a chat read up to its last seq', async () => {
    const { counts, unreadCounts } = setup();
    expect((await counts.of(reader, [chat({ seen: { [reader]: 5 } })])).size).toBe(0);
    expect(unreadCounts).not.toHaveBeenCalled();
  });
});
