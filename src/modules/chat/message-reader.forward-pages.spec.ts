import { Types } from 'mongoose';
import { describe, expect, it, vi } from 'vitest';
import type { ChatAccessService } from './chat-access.service.js';
import { firstGap } from './chat-rules.js';
import type { ChatRepository } from './chat.repository.js';
import type { InflightSends } from './inflight-sends.js';
import type { MessageRepository, PageQuery } from './message.repository.js';
import { ChatMedia } from './chat-media.js';
import { MessageReader } from './message-reader.service.js';
import { MessageRenderer } from './message-renderer.js';
import type { SendSlots } from './send-slots.js';
import type { ChatRecord } from './schemas/chat.schema.js';
import type { MessageRecord } from './schemas/message.schema.js';

const ME = '665f1c2b9a1e4d3f2a1b0c9a';
const PEER = '665f1c2b9a1e4d3f2a1b0c9b';
const CHAT = '665f1c2b9a1e4d3f2a1b0c9c';

const message = (seq: number): MessageRecord => ({
  _id: new Types.ObjectId(),
  chatId: new Types.ObjectId(CHAT),
  seq,
  senderId: new Types.ObjectId(PEER),
  clientMessageId: `m${seq}`,
  type: 'text',
  text: `message ${seq}`,
  attachments: [],
  replyTo: null,
  reactions: {},
  editedAt: null,
  deletedForEveryone: false,
  hiddenFor: {},
  createdAt: new Date(),
  updatedAt: new Date(),
});

const chat = { _id: new Types.ObjectId(CHAT), lastSeq: 5, lastActivityAt: new Date(), cleared: {} } as unknown as ChatRecord;

/**
 * Seq 4 is allocated but not stored yet (its send is in flight) while 5 is stored: a forward page must
 * stop at 3 so the client's cursor never passes 4. Stored: 1, 2, 3, 5 (and 2 hidden for me, so the
 * page itself shows 1, 3, 5: a hidden message is not a gap).
 */
function serviceWith(busy: boolean) {
  const page = vi.fn((_chat: string, _viewer: string, q: PageQuery) =>
    Promise.resolve({ items: [1, 3, 5].filter((s) => s > q.afterSeq).map(message), hasMore: false }),
  );
  const storedSeqs = vi.fn((_chat: string, after: number, upTo: number) =>
    Promise.resolve([1, 2, 3, 5].filter((s) => s > after && s <= upTo)),
  );
  const messages = { page, storedSeqs, findByIds: () => Promise.resolve([]) };
  const access = {
    readChat: () => Promise.resolve({ chat, access: { chatId: CHAT, userId: ME, peerId: PEER, participants: [ME, PEER] } }),
  };
  const chats = { allOfUser: () => Promise.resolve([chat]) };
  const inflight = { busy: vi.fn(() => Promise.resolve(new Set(busy ? [CHAT] : []))) };
  const service = new MessageReader(
    access as unknown as ChatAccessService,
    chats as unknown as ChatRepository,
    messages as unknown as MessageRepository,
    new MessageRenderer(messages as unknown as MessageRepository, new ChatMedia(null)),
    inflight as unknown as InflightSends,
    { latest: (chats: ChatRecord[]) => Promise.resolve(chats) } as unknown as SendSlots,
  );
  return { service, storedSeqs };
}

describe('forward pages while sends are in flight', () => {
  it('firstGap finds the first missing seq above the cursor', () => {
    expect(firstGap(0, [1, 2, 3, 5])).toBe(4);
    expect(firstGap(3, [4, 5])).toBeNull();
    expect(firstGap(0, [2])).toBe(1);
    expect(firstGap(0, [])).toBeNull();
  });

  it('chat:sync stops below a seq that may still be stored, with hasMore', async () => {
    const { service } = serviceWith(true);
    const { chats } = await service.sync(ME, {}, 100);
    expect(chats).toEqual([
      {
        chatId: CHAT,
        messages: [expect.objectContaining({ seq: 1 }), expect.objectContaining({ seq: 3 })],
        hasMore: true,
        changes: [],
        changeSeq: 0,
      },
    ]);
  });

  it('chat:sync returns everything when no send is in flight (a gap is then final)', async () => {
    const { service, storedSeqs } = serviceWith(false);
    const { chats } = await service.sync(ME, {}, 100);
    expect(chats[0].messages.map((m) => m.seq)).toEqual([1, 3, 5]);
    expect(chats[0].hasMore).toBe(false);
    expect(storedSeqs).not.toHaveBeenCalled();
  });

  it('history after a seq stops at the gap too; history before a seq is not affected', async () => {
    const { service } = serviceWith(true);
    const after = await service.history(ME, CHAT, { after: 0 });
    expect(after.items.map((m) => m.seq)).toEqual([1, 3]);
    expect(after.hasMore).toBe(true);
    const newest = await service.history(ME, CHAT, {});
    expect(newest.items.map((m) => m.seq)).toEqual([1, 3, 5]);
  });
});
