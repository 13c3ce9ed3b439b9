import { HttpException } from '@nestjs/common';
import { Types } from 'mongoose';
import { beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import type { RealtimeEmitter } from '@app/realtime';
import { messageIdFor } from '@app/common';
import type { AppConfig } from '../../config/index.js';
import type { ChatAccess, ChatAccessService } from './chat-access.service.js';
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

  beforeEach(() => {
    messages = {
      findById: vi.fn(() => Promise.resolve(null)),
      findByIds: vi.fn(() => Promise.resolve([])),
      setText: vi.fn(),
      tombstone: vi.fn(),
      hideFor: vi.fn(),
      setReaction: vi.fn(),
    };
    realtime = { toUsers: vi.fn(), toUser: vi.fn() };
    const accessService = { require: () => Promise.resolve(access) };
    const config = { chat: { editWindowMs: 60_000, deleteWindowMs: 60_000, typingTimeoutMs: 6000 } };
    service = new MessageEditor(
      accessService as unknown as ChatAccessService,
      messages as unknown as MessageRepository,
      new MessageRenderer(messages as unknown as MessageRepository),
      realtime as unknown as RealtimeEmitter,
      config as unknown as AppConfig,
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
    expect(messages.hideFor).toHaveBeenCalledWith(id, CHAT, ME, expect.any(Date));
    expect(realtime.toUser).toHaveBeenCalledWith(ME, 'message:updated', expect.objectContaining({ kind: 'hidden' }));
    expect(realtime.toUsers).not.toHaveBeenCalled();
  });
});
