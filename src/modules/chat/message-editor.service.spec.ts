import { HttpException } from '@nestjs/common';
import { Types } from 'mongoose';
import { beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import type { MediaDirectory } from '@app/common';
import type { RealtimeEmitter } from '@app/realtime';
import { messageIdFor } from '@app/common';
import type { AppConfig } from '../../config/index.js';
import type { ChatAccess, ChatAccessService } from './chat-access.service.js';
import type { ChatRepository } from './chat.repository.js';
import type { InflightSends } from './inflight-sends.js';
import { ChatMedia } from './chat-media.js';
import { MessageEditor } from './message-editor.service.js';
import { MessageRenderer } from './message-renderer.js';
import type { MessageRepository } from './message.repository.js';
import type { MessageRecord } from './schemas/message.schema.js';

const ME = '665f1c2b9a1e4d3f2a1b0c9a';
const PEER = '665f1c2b9a1e4d3f2a1b0c9b';
const CHAT = '665f1c2b9a1e4d3f2a1b0c9c';
const access: ChatAccess = { chatId: CHAT, userId: ME, peerId: PEER, participants: [ME, PEER] };

function record(over: Partial<MessageRecord> = {}): MessageRecord {
  const now = new Date();
  return {
    _id: new Types.ObjectId(messageIdFor(ME, 'c1')),
    chatId: new Types.ObjectId(CHAT),
    seq: 3,
    senderId: new Types.ObjectId(ME),
    clientMessageId: 'c1',
    type: 'text',
    text: 'hello',
    attachments: [],
    replyTo: null,
    reactions: {},
    editedAt: null,
    deletedForEveryone: false,
    hiddenFor: {},
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}

/** The rules of MessageEditor with the repository, access check and socket layer replaced. */
describe('MessageEditor rules', () => {
  let messages: Record<string, Mock>;
  let realtime: { toUsers: ReturnType<typeof vi.fn>; toUser: ReturnType<typeof vi.fn> };
  let service: MessageEditor;
  let directory: Record<string, Mock>;

  beforeEach(() => {
    messages = {
      findById: vi.fn(() => Promise.resolve(null)),
      findByIds: vi.fn(() => Promise.resolve([])),
      setText: vi.fn(),
      tombstone: vi.fn(),
      hideFor: vi.fn(),
      setReaction: vi.fn(),
      withMedia: vi.fn(() => Promise.resolve([])),
      markMediaChanged: vi.fn(),
    };
    realtime = { toUsers: vi.fn(), toUser: vi.fn() };
    directory = {
      byIds: vi.fn(() => Promise.resolve(new Map())),
      urls: vi.fn(() => Promise.resolve(null)),
      detach: vi.fn(() => Promise.resolve()),
    };
    const chatMedia = new ChatMedia(directory as unknown as MediaDirectory);
    const accessService = { require: () => Promise.resolve(access), participantsOf: () => Promise.resolve([ME, PEER]) };
    const config = { chat: { editWindowMs: 60_000, deleteWindowMs: 60_000, typingTimeoutMs: 6000 } };
    service = new MessageEditor(
      accessService as unknown as ChatAccessService,
      messages as unknown as MessageRepository,
      new MessageRenderer(messages as unknown as MessageRepository, chatMedia),
      realtime as unknown as RealtimeEmitter,
      config as unknown as AppConfig,
      { allocateChangeSeq: vi.fn(() => Promise.resolve(9)) } as unknown as ChatRepository,
      { begin: vi.fn(() => Promise.resolve('token')), end: vi.fn() } as unknown as InflightSends,
      chatMedia,
    );
  });

  const codeOf = async (p: Promise<unknown>): Promise<string> => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(err instanceof HttpException)) throw new Error(`expected an HttpException, got ${String(err)}`);
    return (err.getResponse() as { code: string }).code;
  };

  it('edits: only the sender, only within the window, never a tombstone', async () => {
    const id = messageIdFor(ME, 'c1');
    messages.findById.mockResolvedValueOnce(record({ senderId: new Types.ObjectId(PEER) }));
    expect(await codeOf(service.edit(ME, CHAT, id, 'x'))).toBe('not_sender');
    messages.findById.mockResolvedValueOnce(record({ createdAt: new Date(Date.now() - 61_000) }));
    expect(await codeOf(service.edit(ME, CHAT, id, 'x'))).toBe('edit_window_passed');
    messages.findById.mockResolvedValueOnce(record({ deletedForEveryone: true }));
    expect(await codeOf(service.edit(ME, CHAT, id, 'x'))).toBe('message_deleted');
    messages.findById.mockResolvedValueOnce(record({ hiddenFor: { [ME]: true } }));
    expect(await codeOf(service.edit(ME, CHAT, id, 'x'))).toBe('message_not_found');
    messages.findById.mockResolvedValueOnce(record({ type: 'call', text: null }));
    expect(await codeOf(service.edit(ME, CHAT, id, 'x'))).toBe('not_editable');
    expect(messages.setText).not.toHaveBeenCalled();
  });

  it('delete for everyone: sender only, within the window; deleting a tombstone again changes nothing', async () => {
    const id = messageIdFor(ME, 'c1');
    messages.findById.mockResolvedValueOnce(record({ senderId: new Types.ObjectId(PEER) }));
    expect(await codeOf(service.remove(ME, CHAT, id, 'everyone'))).toBe('not_sender');
    messages.findById.mockResolvedValueOnce(record({ createdAt: new Date(Date.now() - 61_000) }));
    expect(await codeOf(service.remove(ME, CHAT, id, 'everyone'))).toBe('delete_window_passed');
    messages.findById.mockResolvedValueOnce(record({ deletedForEveryone: true }));
    await service.remove(ME, CHAT, id, 'everyone');
    expect(messages.tombstone).not.toHaveBeenCalled();
    // For me: anyone's message, any age.
    messages.findById.mockResolvedValueOnce(record({ senderId: new Types.ObjectId(PEER), createdAt: new Date(0) }));
    messages.hideFor.mockResolvedValueOnce(record({ hiddenFor: { [ME]: true } }));
    await service.remove(ME, CHAT, id, 'me');
    expect(messages.hideFor).toHaveBeenCalledWith(id, CHAT, ME, { seq: 9, at: expect.any(Date) });
    expect(realtime.toUser).toHaveBeenCalledWith(ME, 'message:updated', expect.objectContaining({ kind: 'hidden' }));
    expect(realtime.toUsers).not.toHaveBeenCalled();
  });
  const M1 = '665f1c2b9a1e4d3f2a1b0e01';
  const withPhoto = (over: Partial<MessageRecord> = {}) =>
    record({ type: 'image', text: null, attachments: [{ mediaId: M1, kind: 'image' }], ...over });

  it('delete for everyone detaches the media of the message (after the tombstone is stored)', async () => {
    const id = messageIdFor(ME, 'c1');
    messages.findById.mockResolvedValueOnce(withPhoto());
    messages.tombstone.mockResolvedValueOnce(withPhoto({ deletedForEveryone: true, attachments: [] }));
    await service.remove(ME, CHAT, id, 'everyone');
    expect(directory.detach).toHaveBeenCalledWith([M1], `message:${CHAT}:${id}`);
    // Delete for me keeps it: the other side still shows the photo.
    messages.findById.mockResolvedValueOnce(withPhoto());
    messages.hideFor.mockResolvedValueOnce(withPhoto({ hiddenFor: { [ME]: true } }));
    await service.remove(ME, CHAT, id, 'me');
    expect(directory.detach).toHaveBeenCalledTimes(1);
  });

  it('media.processed stamps each live message carrying the media and tells both participants', async () => {
    messages.withMedia.mockResolvedValueOnce([withPhoto()]);
    messages.markMediaChanged.mockResolvedValueOnce(withPhoto({ changeSeq: 9, changeKind: 'media' }));
    await service.mediaProcessed(M1);
    expect(messages.markMediaChanged).toHaveBeenCalledWith(messageIdFor(ME, 'c1'), { seq: 9, at: expect.any(Date) });
    expect(realtime.toUsers).toHaveBeenCalledWith(
      [ME, PEER],
      'message:updated',
      expect.objectContaining({
        chatId: CHAT,
        kind: 'media',
        message: expect.objectContaining({ attachments: [expect.objectContaining({ mediaId: M1 })] }),
      }),
    );
  });
});
