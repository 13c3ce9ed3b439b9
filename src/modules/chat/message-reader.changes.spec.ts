import { Types } from 'mongoose';
import { describe, expect, it, vi } from 'vitest';
import type { ChatAccessService } from './chat-access.service.js';
import { ChatMedia } from './chat-media.js';
import type { ChatRepository } from './chat.repository.js';
import type { InflightLane, InflightSends } from './inflight-sends.js';
import { MessageReader } from './message-reader.service.js';
import { MessageRenderer } from './message-renderer.js';
import type { SendSlots } from './send-slots.js';
import type { ChangeQuery, MessageRepository } from './message.repository.js';
import type { ChatRecord } from './schemas/chat.schema.js';
import type { MessageRecord } from './schemas/message.schema.js';

const ME = '665f1c2b9a1e4d3f2a1b0c9a';
const PEER = '665f1c2b9a1e4d3f2a1b0c9b';
const CHAT = '665f1c2b9a1e4d3f2a1b0c9c';

const changed = (seq: number, changeSeq: number, over: Partial<MessageRecord> = {}): MessageRecord => ({
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
  editedAt: new Date(),
  deletedForEveryone: false,
  hiddenFor: {},
  changeSeq,
  changeKind: 'edited',
  createdAt: new Date(),
  updatedAt: new Date(),
  ...over,
});

const chat = { _id: new Types.ObjectId(CHAT), lastSeq: 4, changeSeq: 6, lastActivityAt: new Date(), cleared: {} } as unknown as ChatRecord;

function readerWith(changing: boolean) {
  const changesSince = vi.fn((_chat: string, _viewer: string, q: ChangeQuery) =>
    Promise.resolve({
      items: [changed(1, 3), changed(2, 6, { hiddenFor: { [ME]: true } })].filter((m) => (m.changeSeq ?? 0) > q.afterChangeSeq),
      hasMore: false,
    }),
  );
  const messages = { changesSince, page: vi.fn(), storedSeqs: vi.fn(), findByIds: () => Promise.resolve([]) };
  const inflight = {
    busy: vi.fn((_ids: string[], lane: InflightLane = 'sends') => Promise.resolve(new Set(lane === 'changes' && changing ? [CHAT] : []))),
  };
  const reader = new MessageReader(
    { readChat: vi.fn() } as unknown as ChatAccessService,
    { allOfUser: () => Promise.resolve([chat]) } as unknown as ChatRepository,
    messages as unknown as MessageRepository,
    new MessageRenderer(messages as unknown as MessageRepository, new ChatMedia(null)),
    inflight as unknown as InflightSends,
    { latest: (chats: ChatRecord[]) => Promise.resolve(chats) } as unknown as SendSlots,
  );
  return { reader, changesSince, messages };
}

describe('chat:sync changes', () => {
  it('replays changes to held messages after the cursor, in change order, and moves the cursor to the chat change seq', async () => {
    const { reader, changesSince, messages } = readerWith(false);
    const { chats } = await reader.sync(ME, { [CHAT]: 4 }, 100, { [CHAT]: 2 });
    expect(chats).toHaveLength(1);
    expect(chats[0].changes.map((c) => [c.changeSeq, c.kind, c.message.seq])).toEqual([
      [3, 'edited', 1],
      [6, 'hidden', 2],
    ]);
    expect(chats[0].changeSeq).toBe(6);
    expect(chats[0].messages).toEqual([]);
    // Only messages the client holds: up to its seq cursor; no message page when nothing is new.
    expect(changesSince).toHaveBeenCalledWith(CHAT, ME, { afterChangeSeq: 2, aboveSeq: 0, upToSeq: 4, limit: 100 });
    expect(messages.page).not.toHaveBeenCalled();
  });

  it('keeps the change cursor while a change of the chat is in flight (the changes found still go out)', async () => {
    const { reader } = readerWith(true);
    const { chats } = await reader.sync(ME, { [CHAT]: 4 }, 100, { [CHAT]: 2 });
    expect(chats[0].changes).toHaveLength(2);
    expect(chats[0].changeSeq).toBe(2);
  });

  it('computes no changes for a client that sends no change cursor (older clients): nothing new, nothing answered', async () => {
    const { reader, changesSince } = readerWith(false);
    expect(await reader.sync(ME, { [CHAT]: 4 }, 100)).toEqual({ chats: [] });
    expect(changesSince).not.toHaveBeenCalled();
  });
});
