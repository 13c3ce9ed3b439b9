import { Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dependencyFailure } from '@app/common';
import { emitWithAck, socketPool, startTestApi, type TestApi } from '@test/support';
import type { AppConfig } from '../../src/config/index.js';
import { MessageBatchWriter } from '../../src/modules/chat/message-batch-writer.js';
import { MessageRepository } from '../../src/modules/chat/message.repository.js';
import type { MessageRecord } from '../../src/modules/chat/schemas/message.schema.js';
import { type OwnServer, startOwnFerretDb } from '../reliability/own-services.js';
import { cmid, connectedPair, type Json } from './chat-fixtures.js';

let seq = 0;
/** A message as MessageSender builds it, in a chat of its own unless told (the unique indexes are real). */
function record(overrides: Partial<MessageRecord> = {}): MessageRecord {
  const now = new Date();
  return {
    _id: new Types.ObjectId(),
    chatId: new Types.ObjectId(),
    seq: ++seq,
    senderId: new Types.ObjectId(),
    clientMessageId: cmid('batch'),
    type: 'text',
    text: `message ${seq}`,
    attachments: [],
    replyTo: null,
    call: null,
    statusRef: null,
    reactions: {},
    editedAt: null,
    deletedForEveryone: false,
    hiddenFor: {},
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/** The writer's own repository: app.get(MessageRepository) may answer chat-mute's instance of the class. */
function chatRepository(api: TestApi): MessageRepository {
  const writer: unknown = api.app.get(MessageBatchWriter);
  return (writer as { messages: MessageRepository }).messages;
}

/** Each promise's outcome, without failing on the first rejection. */
const outcomes = (ps: Array<Promise<void>>) => Promise.allSettled(ps);
const rejection = (r: PromiseSettledResult<void>): unknown => (r.status === 'rejected' ? r.reason : null);

/** Group commit of new messages (issue 16) on the real FerretDB: what each send sees, batch by batch. */
describe('MessageBatchWriter (group commit)', () => {
  let api: TestApi;
  let writer: MessageBatchWriter;
  let repo: MessageRepository;
  const sockets = socketPool();
  const stored = (ids: Types.ObjectId[]) => api.connection.collection('messages').countDocuments({ _id: { $in: ids } });

  beforeAll(async () => {
    // A wide window: every batch below is cut by the size bound or by the end of one tick of sends, not the clock.
    api = await startTestApi({ CHAT_COMMIT_WINDOW_MS: '20', CHAT_COMMIT_MAX_DOCS: '32', SOCKET_RATE_LIMIT_EVENTS: '1000' });
    writer = api.app.get(MessageBatchWriter);
    repo = chatRepository(api);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    sockets.closeAll();
  });
  afterAll(() => api?.close());

  it('100 concurrent sends become 4 insertMany calls (the size bound, 32), each send resolved once its message is stored', async () => {
    const insertMany = vi.spyOn(repo, 'insertMany');
    const records = Array.from({ length: 100 }, () => record());
    const results = await outcomes(records.map((r) => writer.insert(r)));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(insertMany.mock.calls.map(([docs]) => docs.length)).toEqual([32, 32, 32, 4]);
    expect(await stored(records.map((r) => r._id))).toBe(100);
  });

  it('a duplicate in the middle of a batch fails only its own send, with E11000 like insertOne; the others are stored', async () => {
    const original = record();
    await repo.insert(original);
    const insertMany = vi.spyOn(repo, 'insertMany');
    // Same (senderId, clientMessageId) under another _id: what a concurrent retry that lost the race looks like.
    const duplicate = record({ senderId: original.senderId, clientMessageId: original.clientMessageId });
    const batch = [record(), record(), duplicate, record(), record()];
    const results = await outcomes(batch.map((r) => writer.insert(r)));

    expect(insertMany).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(rejection(results[2])).toMatchObject({ code: 11000 });
    expect(await stored(batch.map((r) => r._id))).toBe(4);
    const kept = await api.connection.collection('messages').findOne({ _id: original._id });
    expect(kept).toMatchObject({ text: original.text, seq: original.seq });
  });

  it('two sends of one message in the same batch: one is stored, the other gets E11000', async () => {
    const first = record();
    const again = record({ senderId: first.senderId, clientMessageId: first.clientMessageId });
    const results = await outcomes([record(), first, again].map((r) => writer.insert(r)));
    expect(results[0].status).toBe('fulfilled');
    expect(
      results
        .slice(1)
        .map((r) => r.status)
        .sort(),
    ).toEqual(['fulfilled', 'rejected']);
    expect(rejection(results.find((r) => r.status === 'rejected')!)).toMatchObject({ code: 11000 });
    expect(await api.connection.collection('messages').countDocuments({ clientMessageId: first.clientMessageId })).toBe(1);
  });

  it('a document the database refuses for another reason fails only its own send, not as a duplicate', async () => {
    const insertMany = vi.spyOn(repo, 'insertMany');
    // An array _id: refused by MongoDB and FerretDB alike, for this document only.
    const bad = record({ _id: [new Types.ObjectId()] as unknown as Types.ObjectId });
    const batch = [record(), bad, record()];
    const results = await outcomes(batch.map((r) => writer.insert(r)));

    expect(insertMany).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const err = rejection(results[1]) as { code?: unknown; message?: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.code).not.toBe(11000);
    expect(err.message).toMatch(/_id/);
    expect(await stored([batch[0]._id, batch[2]._id])).toBe(2);
  });

  it('a graceful stop stores what is still queued (no send left hanging); later sends go straight through', async () => {
    // A writer of its own with a window no test would wait for: only the stop can store these.
    const config = { chat: { commit: { windowMs: 60_000, maxDocs: 1000 } } } as unknown as AppConfig;
    const own = new MessageBatchWriter(repo, config);
    const queued = [record(), record(), record()];
    const sends = outcomes(queued.map((r) => own.insert(r)));
    expect(own.queued).toBe(3);
    await own.onModuleDestroy();
    expect((await sends).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(await stored(queued.map((r) => r._id))).toBe(3);
    const late = record();
    await own.insert(late);
    expect(own.queued).toBe(0);
    expect(await stored([late._id])).toBe(1);
  });

  it('concurrent chat:send from several senders are each acked only once stored, once each, with distinct seqs per chat', async () => {
    const pairs = await Promise.all(Array.from({ length: 4 }, () => connectedPair(api)));
    const messages = api.connection.collection('messages');
    const acks = await Promise.all(
      pairs.map(async (pair) => {
        const [sa, sb] = await Promise.all([sockets.connect(api.url, pair.a.accessToken), sockets.connect(api.url, pair.b.accessToken)]);
        const sends = Array.from({ length: 10 }, (_, i) => {
          const [socket, from] = i % 2 ? [sb, pair.b] : [sa, pair.a];
          const clientMessageId = cmid('conc');
          return emitWithAck<Json>(socket, 'chat:send', { chatId: pair.chatId, clientMessageId, text: `m${i}` }).then(async (ack) => {
            // Read at the moment the ack arrives: the message must already be in the database.
            const doc = ack.ok ? await messages.findOne({ _id: new Types.ObjectId(ack.data.id as string) }) : null;
            return { ack, doc, from, clientMessageId };
          });
        });
        return { pair, results: await Promise.all(sends) };
      }),
    );
    for (const { pair, results } of acks) {
      for (const { ack, doc, from, clientMessageId } of results) {
        expect(ack).toMatchObject({ ok: true, data: { chatId: pair.chatId, senderId: from.userId, clientMessageId } });
        expect(doc).toMatchObject({ clientMessageId, seq: ack.ok && ack.data.seq });
      }
      const seqs = results.map((r) => (r.ack.ok ? (r.ack.data.seq as number) : 0)).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(await messages.countDocuments({ chatId: new Types.ObjectId(pair.chatId) })).toBe(10);
    }
  });
});

/** A batch that fails as a whole: every send in it gets the error a lone insert gets (503 database_unavailable). */
describe('MessageBatchWriter with the database gone', () => {
  let db: OwnServer;
  let api: TestApi;

  beforeAll(async () => {
    db = await startOwnFerretDb();
    api = await startTestApi({
      MONGODB_URI: `${db.url}batchgone`,
      DB_SERVER_SELECTION_TIMEOUT_MS: '500',
      DB_SOCKET_TIMEOUT_MS: '1000',
      CHAT_COMMIT_WINDOW_MS: '20',
    });
  });
  afterAll(async () => {
    try {
      await api?.close({ drop: false });
    } finally {
      await db?.close();
    }
  });

  it('fails every send of the batch with a database-unavailable error, none as stored or as a duplicate', async () => {
    const writer = api.app.get(MessageBatchWriter);
    const repo = chatRepository(api);
    await writer.insert(record()); // the connection is up and used
    await db.stop();
    const insertMany = vi.spyOn(repo, 'insertMany');
    const results = await outcomes(Array.from({ length: 10 }, () => writer.insert(record())));
    expect(insertMany).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.status)).toEqual(Array(10).fill('rejected'));
    for (const r of results) expect(dependencyFailure(rejection(r))).toMatchObject({ code: 'database_unavailable' });
  });
});
