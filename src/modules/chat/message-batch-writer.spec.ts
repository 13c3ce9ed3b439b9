import { Types } from 'mongoose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppConfig } from '../../config/index.js';
import { MessageBatchWriter } from './message-batch-writer.js';
import type { MessageRepository } from './message.repository.js';
import type { MessageRecord } from './schemas/message.schema.js';

const record = (): MessageRecord => ({ _id: new Types.ObjectId() }) as MessageRecord;
const configWith = (windowMs: number, maxDocs = 256) => ({ chat: { commit: { windowMs, maxDocs } } }) as unknown as AppConfig;

/** The batching rules with the repository replaced (the real database: test/chat/batch-writer.e2e-spec.ts). */
describe('MessageBatchWriter', () => {
  let repo: { insert: ReturnType<typeof vi.fn>; insertMany: ReturnType<typeof vi.fn> };

  beforeEach(() => {
    vi.useFakeTimers();
    repo = {
      insert: vi.fn(() => Promise.resolve()),
      insertMany: vi.fn((docs: MessageRecord[]) => Promise.resolve(docs.map(() => null))),
    };
  });
  afterEach(() => vi.useRealTimers());
  const writerWith = (windowMs: number, maxDocs?: number) =>
    new MessageBatchWriter(repo as unknown as MessageRepository, configWith(windowMs, maxDocs));

  it('holds the sends of one window and stores them with one insertMany when it ends', async () => {
    const writer = writerWith(2);
    const sends = [writer.insert(record()), writer.insert(record()), writer.insert(record())];
    await vi.advanceTimersByTimeAsync(1);
    expect(repo.insertMany).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(repo.insertMany).toHaveBeenCalledTimes(1);
    expect(repo.insertMany.mock.calls[0]?.[0]).toHaveLength(3);
    await expect(Promise.all(sends)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('stores at once when the batch is full, without waiting for the window', () => {
    const writer = writerWith(50, 2);
    void writer.insert(record());
    expect(repo.insertMany).not.toHaveBeenCalled();
    void writer.insert(record());
    expect(repo.insertMany).toHaveBeenCalledTimes(1);
    expect(writer.queued).toBe(0);
  });

  it('window 0 inserts each send at once, as before group commit', () => {
    const writer = writerWith(0);
    void writer.insert(record());
    expect(repo.insert).toHaveBeenCalledTimes(1);
    expect(repo.insertMany).not.toHaveBeenCalled();
  });

  it('a window holding one send stores it with a plain insert (its errors exactly as before)', async () => {
    const refused = Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
    repo.insert.mockRejectedValueOnce(refused);
    const writer = writerWith(1);
    const send = writer.insert(record());
    const outcome = send.catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBe(refused);
    expect(repo.insertMany).not.toHaveBeenCalled();
  });

  it("each send gets its own document's outcome; a batch failing as a whole fails every send with its error", async () => {
    const duplicate = Object.assign(new Error('E11000'), { code: 11000 });
    repo.insertMany.mockResolvedValueOnce([null, duplicate, null]);
    const down = new Error('server selection timed out');
    repo.insertMany.mockRejectedValueOnce(down);
    const writer = writerWith(1);
    const first = Promise.allSettled([writer.insert(record()), writer.insert(record()), writer.insert(record())]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await first).map((r) => (r.status === 'rejected' ? r.reason : 'stored'))).toEqual(['stored', duplicate, 'stored']);
    const second = Promise.allSettled([writer.insert(record()), writer.insert(record())]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await second).map((r) => (r.status === 'rejected' ? r.reason : 'stored'))).toEqual([down, down]);
  });
});
