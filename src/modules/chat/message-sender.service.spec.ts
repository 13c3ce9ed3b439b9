import { HttpException } from '@nestjs/common';
import { Types } from 'mongoose';
import { beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import type { DomainEventBus, MediaDirectory, MediaSummary } from '@app/common';
import type { RealtimeEmitter } from '@app/realtime';
import { messageIdFor } from '@app/common';
import type { ChatAccess, ChatAccessService } from './chat-access.service.js';
import type { ChatSummaryWriter } from './chat-summary-writer.js';
import type { MessageBatchWriter } from './message-batch-writer.js';
import type { MessageRepository } from './message.repository.js';
import { ChatMedia } from './chat-media.js';
import { MessageRenderer } from './message-renderer.js';
import { MessageSender } from './message-sender.service.js';
import type { MessageRecord } from './schemas/message.schema.js';
import type { SendSlots, Slot } from './send-slots.js';

const ME = '665f1c2b9a1e4d3f2a1b0c9a';
const PEER = '665f1c2b9a1e4d3f2a1b0c9b';
const CHAT = '665f1c2b9a1e4d3f2a1b0c9c';
const OTHER_CHAT = '665f1c2b9a1e4d3f2a1b0c9d';
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

/** The rules of MessageSender with the repositories, access check and socket layer replaced. */
describe('MessageSender rules', () => {
  let order: string[];
  let findById: Mock<(id: string) => Promise<MessageRecord | null>>;
  let messages: Record<string, Mock>;
  let slots: { token: () => string; reserve: Mock<(...args: unknown[]) => Promise<Slot>>; release: Mock; seed: Mock };
  let summaries: { record: Mock };
  let realtime: { toUsers: ReturnType<typeof vi.fn>; toUser: ReturnType<typeof vi.fn> };
  let service: MessageSender;
  let events: { emit: ReturnType<typeof vi.fn> };
  let media: Record<string, Mock>;
  let owned: Record<string, MediaSummary>;

  beforeEach(() => {
    order = [];
    owned = {};
    findById = vi.fn(() => Promise.resolve(null));
    messages = {
      findById,
      findByIds: vi.fn(() => Promise.resolve([])),
      insert: vi.fn(() => (order.push('insert'), Promise.resolve())),
      setText: vi.fn(),
      tombstone: vi.fn(),
      hideFor: vi.fn(),
      setReaction: vi.fn(),
    };
    slots = {
      token: () => 'token',
      // One Redis round trip: the dedupe check, the seq and the in-flight mark together.
      reserve: vi.fn(() => (order.push('seq'), Promise.resolve<Slot>({ kind: 'fresh', seq: 7 }))),
      release: vi.fn(() => order.push('unmark')),
      seed: vi.fn(() => (order.push('seed'), Promise.resolve(9))),
    };
    summaries = { record: vi.fn(() => order.push('summary')) };
    realtime = { toUsers: vi.fn(() => order.push('emit')), toUser: vi.fn(() => order.push('emit')) };
    const accessService = {
      resolve: () => Promise.resolve(access),
      require: () => Promise.resolve(access),
      requirePeer: () => Promise.resolve(access),
    };
    events = { emit: vi.fn(() => order.push('event')) };
    media = {
      ownedBy: vi.fn((_owner: string, ids: string[]) => Promise.resolve(ids.flatMap((id) => (owned[id] ? [owned[id]] : [])))),
      byIds: vi.fn((ids: string[]) => Promise.resolve(new Map(ids.flatMap((id) => (owned[id] ? [[id, owned[id]] as const] : []))))),
      urls: vi.fn(() =>
        Promise.resolve({ url: '/signed/x', thumbnailUrl: '/signed/t', previewUrl: null, expiresAt: '2030-01-01T00:00:00.000Z' }),
      ),
      attach: vi.fn(() => (order.push('attach'), Promise.resolve())),
      detach: vi.fn(() => Promise.resolve()),
    };
    const chatMedia = new ChatMedia(media as unknown as MediaDirectory);
    service = new MessageSender(
      accessService as unknown as ChatAccessService,
      slots as unknown as SendSlots,
      summaries as unknown as ChatSummaryWriter,
      messages as unknown as MessageRepository,
      new MessageRenderer(messages as unknown as MessageRepository, chatMedia),
      chatMedia,
      realtime as unknown as RealtimeEmitter,
      events as unknown as DomainEventBus,
      // The writer's contract is the repository's insert (stored or that document's error): the same mock.
      messages as unknown as MessageBatchWriter,
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

  it('stores with the allocated seq under the derived id, then delivers: never before the insert', async () => {
    const { message, created } = await service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', text: '  hi ' });
    expect(created).toBe(true);
    expect(message).toMatchObject({ id: messageIdFor(ME, 'c1'), chatId: CHAT, seq: 7, text: 'hi', senderId: ME });
    // Marked in flight with the seq, unmarked once stored, delivered only after that; the summary follows.
    expect(order).toEqual(['seq', 'insert', 'unmark', 'summary', 'emit', 'emit', 'event']);
    expect(realtime.toUsers).toHaveBeenCalledWith([PEER, ME], 'chat:receive', message, { exceptSocketId: undefined });
    expect(realtime.toUser).toHaveBeenCalledWith(ME, 'chat:sent', message);
    expect(events.emit).toHaveBeenCalledWith('message.created', {
      messageId: message.id,
      chatId: CHAT,
      seq: 7,
      senderId: ME,
      recipientId: PEER,
      type: 'text',
      text: 'hi',
      createdAt: message.createdAt,
    });
  });

  it('a retry (its dedupe entry names a finished copy) returns the original without a seq or an insert', async () => {
    slots.reserve.mockResolvedValueOnce({ kind: 'settled', seq: 3 });
    messages.findById.mockResolvedValueOnce(record());
    const { message, created } = await service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', text: 'different text' });
    expect(created).toBe(false);
    expect(message).toMatchObject({ seq: 3, text: 'hello' });
    expect(slots.reserve).toHaveBeenCalledTimes(1);
    expect(messages.insert).not.toHaveBeenCalled();
    expect(events.emit).not.toHaveBeenCalled();
  });

  it('a retry whose earlier copy failed before storing takes a seq of its own', async () => {
    slots.reserve.mockResolvedValueOnce({ kind: 'settled', seq: 3 });
    const { message, created } = await service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', text: 'again' });
    expect(created).toBe(true);
    expect(message.seq).toBe(7);
    expect(slots.reserve).toHaveBeenLastCalledWith(CHAT, [ME, PEER], messageIdFor(ME, 'c1'), 'token', true);
  });

  it('a retry while its copy is still in flight stores under the same seq, and whichever insert loses answers with the winner', async () => {
    slots.reserve.mockResolvedValueOnce({ kind: 'pending', seq: 5 });
    messages.insert.mockRejectedValueOnce(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }));
    messages.findById.mockResolvedValueOnce(record({ seq: 5 }));
    const { message, created } = await service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', text: 'hello' });
    expect(messages.insert).toHaveBeenCalledWith(expect.objectContaining({ seq: 5 }));
    expect(created).toBe(false);
    expect(message.seq).toBe(5);
    expect(events.emit).not.toHaveBeenCalled();
  });

  it('a seq already stored by another message (counter re-seeded too low) is never acked: re-seeded, then a new seq', async () => {
    messages.insert.mockRejectedValueOnce(Object.assign(new Error('E11000 duplicate key { chatId, seq }'), { code: 11000 }));
    slots.reserve.mockResolvedValueOnce({ kind: 'fresh', seq: 7 }).mockResolvedValueOnce({ kind: 'fresh', seq: 10 });
    const { message, created } = await service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', text: 'hello' });
    expect(created).toBe(true);
    expect(message.seq).toBe(10);
    expect(slots.seed).toHaveBeenCalledWith(CHAT, [ME, PEER]);
    expect(messages.insert.mock.calls.map(([r]) => (r as MessageRecord).seq)).toEqual([7, 10]);
    expect(summaries.record).toHaveBeenCalledWith(CHAT, [ME, PEER], expect.objectContaining({ seq: 10 }));
  });

  it('fails the send with seq_conflict when every seq it gets is taken, and delivers nothing', async () => {
    messages.insert.mockRejectedValue(Object.assign(new Error('E11000 duplicate key { chatId, seq }'), { code: 11000 }));
    expect(await codeOf(service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', text: 'hello' }))).toBe('seq_conflict');
    expect(messages.insert).toHaveBeenCalledTimes(3);
    expect(realtime.toUsers).not.toHaveBeenCalled();
    expect(events.emit).not.toHaveBeenCalled();
    expect(slots.release).toHaveBeenCalledTimes(1);
  });

  it('refuses a clientMessageId already used in another chat', async () => {
    messages.insert.mockRejectedValueOnce(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }));
    messages.findById.mockResolvedValueOnce(record({ chatId: new Types.ObjectId(OTHER_CHAT) }));
    expect(await codeOf(service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', text: 'x' }))).toBe('client_message_id_reused');
  });

  it('a concurrent duplicate that wins the insert (E11000) is answered with the original', async () => {
    messages.insert.mockRejectedValueOnce(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }));
    messages.findById.mockResolvedValueOnce(record({ seq: 6 }));
    const { message, created } = await service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', text: 'hello' });
    expect(created).toBe(false);
    expect(message.seq).toBe(6);
    expect(events.emit).not.toHaveBeenCalled();
  });

  it('a failed insert is not acked and not delivered', async () => {
    messages.insert.mockRejectedValueOnce(new Error('connection reset'));
    await expect(service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', text: 'hello' })).rejects.toThrow('connection reset');
    expect(realtime.toUsers).not.toHaveBeenCalled();
    expect(realtime.toUser).not.toHaveBeenCalled();
    expect(events.emit).not.toHaveBeenCalled();
    // The in-flight mark is cleared on failure too.
    expect(order).toEqual(['seq', 'unmark']);
    expect(summaries.record).not.toHaveBeenCalled();
  });

  it('a reply must point into the same chat and at a live message, checked before a seq is taken', async () => {
    const target = '665f1c2b9a1e4d3f2a1b0caa';
    findById.mockImplementation((id: string) =>
      Promise.resolve(id === target ? record({ _id: new Types.ObjectId(target), chatId: new Types.ObjectId(OTHER_CHAT) }) : null),
    );
    expect(await codeOf(service.send(ME, { chatId: CHAT }, { clientMessageId: 'c2', text: 'x', replyTo: target }))).toBe('invalid_reply');
    findById.mockImplementation((id: string) =>
      Promise.resolve(id === target ? record({ _id: new Types.ObjectId(target), deletedForEveryone: true }) : null),
    );
    expect(await codeOf(service.send(ME, { chatId: CHAT }, { clientMessageId: 'c3', text: 'x', replyTo: target }))).toBe('invalid_reply');
    expect(slots.reserve).not.toHaveBeenCalled();
  });

  it('ChatPoster posts a call message on the same path: no text, the call kept, delivered and announced once', async () => {
    const call = { callId: 'call-1', kind: 'video' as const, outcome: 'missed' as const, durationMs: 0 };
    const { message, created } = await service.post(ME, PEER, { clientMessageId: 'call:1', type: 'call', text: 'ignored', call });
    expect(created).toBe(true);
    expect(message).toMatchObject({ type: 'call', text: null, call, statusRef: null, seq: 7 });
    expect(order).toEqual(['seq', 'insert', 'unmark', 'summary', 'emit', 'emit', 'event']);
    expect(events.emit).toHaveBeenCalledWith('message.created', expect.objectContaining({ type: 'call', text: null, recipientId: PEER }));
  });

  it('ChatPoster refuses what a user could not send: a call without call info, an empty text, a bad outcome', async () => {
    const call = { callId: 'c', kind: 'audio' as const, outcome: 'answered' as const, durationMs: 1000 };
    expect(await codeOf(service.post(ME, PEER, { clientMessageId: 'p1', type: 'call' }))).toBe('invalid_post');
    expect(await codeOf(service.post(ME, PEER, { clientMessageId: 'p2', type: 'text', text: '   ' }))).toBe('invalid_post');
    expect(
      await codeOf(service.post(ME, PEER, { clientMessageId: 'p3', type: 'call', call: { ...call, outcome: 'exploded' as 'failed' } })),
    ).toBe('invalid_post');
    expect(await codeOf(service.post(ME, PEER, { clientMessageId: 'has space', type: 'text', text: 'hi' }))).toBe('invalid_post');
    expect(messages.insert).not.toHaveBeenCalled();
  });

  it('a status quote renders as unavailable once the status expired, with no thumbnail', async () => {
    const statusRef = {
      id: '665f1c2b9a1e4d3f2a1b0d01',
      authorId: PEER,
      kind: 'image' as const,
      text: 'at the beach',
      thumbnailMediaId: '665f1c2b9a1e4d3f2a1b0d02',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    const live = await service.post(ME, PEER, { clientMessageId: 's1', type: 'text', text: '😍', statusRef });
    // While the status is live its thumbnail is signed for the viewer.
    expect(live.message.statusRef).toEqual({
      id: statusRef.id,
      authorId: PEER,
      kind: 'image',
      text: 'at the beach',
      thumbnailUrl: '/signed/t',
      available: true,
    });
    const [expired] = await new MessageRenderer(messages as unknown as MessageRepository, new ChatMedia(null)).render([
      record({ statusRef: { ...statusRef, expiresAt: new Date(Date.now() - 1) } }),
    ]);
    expect(expired.statusRef).toMatchObject({ available: false, thumbnailUrl: null, text: 'at the beach' });
  });
  const summary = (id: string, over: Partial<MediaSummary> = {}): MediaSummary => ({
    id,
    ownerId: ME,
    kind: 'image',
    status: 'processing',
    failureReason: null,
    mimeType: 'image/jpeg',
    sizeBytes: 1000,
    name: null,
    width: 640,
    height: 480,
    durationMs: null,
    waveform: null,
    pageCount: null,
    placeholder: 'thumbhash==',
    ...over,
  });
  const M1 = '665f1c2b9a1e4d3f2a1b0e01';
  const M2 = '665f1c2b9a1e4d3f2a1b0e02';

  it('sends media still processing: typed by the media, attached before the ack, shown with the placeholder and no URL', async () => {
    owned[M1] = summary(M1);
    owned[M2] = summary(M2, { kind: 'video', status: 'ready' });
    const { message } = await service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', attachments: [M1, M2] });
    expect(message).toMatchObject({ type: 'image', text: null });
    expect(message.attachments.map((a) => [a.mediaId, a.kind, a.status, a.url, a.placeholder])).toEqual([
      [M1, 'image', 'processing', null, 'thumbhash=='],
      [M2, 'video', 'ready', '/signed/x', 'thumbhash=='],
    ]);
    expect(media.attach).toHaveBeenCalledWith([M1, M2], `message:${CHAT}:${messageIdFor(ME, 'c1')}`);
    expect(order).toEqual(['seq', 'insert', 'unmark', 'summary', 'attach', 'emit', 'emit', 'event']);
  });

  it('a voice note is an audio message with the voice flag; a caption is optional text', async () => {
    owned[M1] = summary(M1, { kind: 'voice', mimeType: 'audio/ogg', waveform: [1, 2, 3] });
    const { message } = await service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', text: ' listen ', attachments: [M1] });
    expect(message).toMatchObject({ type: 'audio', text: 'listen', attachments: [{ kind: 'voice', voice: true, waveform: [1, 2, 3] }] });
  });

  it("refuses media that is not the sender's, that failed, or that cannot go together; and a send with neither text nor media", async () => {
    owned[M1] = summary(M1, { status: 'failed' });
    owned[M2] = summary(M2, { kind: 'document' });
    const send = (attachments: string[], text?: string) => service.send(ME, { chatId: CHAT }, { clientMessageId: 'c9', text, attachments });
    expect(await codeOf(send(['665f1c2b9a1e4d3f2a1b0eff']))).toBe('media_not_found');
    expect(await codeOf(send([M1]))).toBe('media_failed');
    owned[M1] = summary(M1);
    expect(await codeOf(send([M1, M2]))).toBe('invalid_attachments');
    expect(await codeOf(send([M1, M1]))).toBe('invalid_attachments');
    expect(await codeOf(send([]))).toBe('validation_failed');
    expect(messages.insert).not.toHaveBeenCalled();
    expect(slots.reserve).not.toHaveBeenCalled();
  });

  it('a retry of a media send answers with the original even if the media failed since, and attaches again', async () => {
    owned[M1] = summary(M1, { status: 'failed' });
    messages.findById.mockResolvedValueOnce(record({ type: 'image', text: null, attachments: [{ mediaId: M1, kind: 'image' }] }));
    const { created, message } = await service.send(ME, { chatId: CHAT }, { clientMessageId: 'c1', attachments: [M1] });
    expect(created).toBe(false);
    expect(message.attachments[0]).toMatchObject({ mediaId: M1, status: 'failed', url: null });
    expect(media.attach).toHaveBeenCalledTimes(1);
  });
});
