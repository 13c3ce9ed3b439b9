import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { MessageRepository } from './message.repository.js';
import type { MessageRecord } from './schemas/message.schema.js';

interface Queued {
  record: MessageRecord;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit of new messages (issue 16): sends arriving within `CHAT_COMMIT_WINDOW_MS` of the first
 * queued one, across all chats and senders, are stored with one unordered insertMany, at once when
 * `CHAT_COMMIT_MAX_DOCS` are queued. Batched inserts are what the datastore does fast (FerretDB here:
 * about 30k docs/s batched against 1.5k/s one by one, ARCHITECTURE.md), so under load the send path
 * stops paying one database round trip per message.
 *
 * `insert` behaves for its caller exactly like MessageRepository.insert: it resolves only once that
 * message is stored and rejects with the error an insertOne would have given it (E11000 for a
 * duplicate: MessageSender answers with the original), so one bad document fails only its own send;
 * a batch that fails as a whole (database unreachable, timeout) fails every send in it with that error.
 *
 * A message is queued before its send is acked, so nothing is lost when the process is killed: the
 * client retries what was never acked. On a graceful stop the queue is stored first, so no send is
 * left hanging.
 */
@Injectable()
export class MessageBatchWriter implements OnModuleDestroy {
  private readonly windowMs: number;
  private readonly maxDocs: number;
  private queue: Queued[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly commits = new Set<Promise<void>>();
  private closing = false;

  constructor(
    private readonly messages: MessageRepository,
    config: AppConfig,
  ) {
    this.windowMs = config.chat.commit.windowMs;
    this.maxDocs = config.chat.commit.maxDocs;
  }

  /** Resolves once `record` is stored; rejects as MessageRepository.insert would for it alone. */
  insert(record: MessageRecord): Promise<void> {
    if (this.windowMs === 0 || this.closing) return this.messages.insert(record);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (this.queue.length >= this.maxDocs) this.flush();
      // The window starts with the first message of a batch: none waits longer than it.
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  /** Messages queued and not yet handed to the database (tests look at it to know a batch is still open). */
  get queued(): number {
    return this.queue.length;
  }

  /** Graceful stop (before the database connection closes): the queue is stored now, later sends go straight through. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.flush();
    await Promise.allSettled([...this.commits]);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const commit = this.commit(batch).finally(() => this.commits.delete(commit));
    this.commits.add(commit);
  }

  /** Never rejects: every outcome goes to its own send. */
  private async commit(batch: Queued[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [Queued];
      await this.messages.insert(only.record).then(only.resolve, only.reject);
      return;
    }
    let outcomes: Array<Error | null>;
    try {
      outcomes = await this.messages.insertMany(batch.map((q) => q.record));
    } catch (err) {
      for (const q of batch) q.reject(err);
      return;
    }
    batch.forEach((q, i) => {
      const error = outcomes[i];
      if (error) q.reject(error);
      else q.resolve();
    });
  }
}
