import { type ConnectionOptions, Queue, QueueEvents } from 'bullmq';
import request from 'supertest';
import { redisOptionsFromUrl } from '../../src/core/redis/index.js';
import type { PushReceiver } from '../notifications/push-receiver.js';

/**
 * What a user notices of background jobs after a worker or api died mid-load: pushes at the local push
 * receiver (one per chat message burst, "in effect" = one per device and collapse topic, since a
 * repeated web push with the same Topic replaces the shown one) and jobs left stuck in a queue.
 */
export interface QueueWatch {
  queues: Map<string, Queue>;
  /** Jobs BullMQ found stalled (their worker died) and handed to another worker, per queue. */
  stalled: Map<string, number>;
  /** Jobs still waiting, active, failed or delayed (scheduler repeats excluded), per queue; empty when all done. */
  leftovers(): Promise<Record<string, Record<string, number>>>;
  close(): Promise<void>;
}

export async function watchQueues(env: Record<string, string>, names: string[]): Promise<QueueWatch> {
  const connection = { ...redisOptionsFromUrl(env.REDIS_URL), maxRetriesPerRequest: null } as ConnectionOptions;
  const prefix = `${env.REDIS_PREFIX}:bull`;
  const queues = new Map(names.map((n) => [n, new Queue(n, { connection, prefix })]));
  const stalled = new Map(names.map((n) => [n, 0]));
  const events = await Promise.all(
    names.map(async (n) => {
      const e = new QueueEvents(n, { connection, prefix });
      e.on('stalled', () => stalled.set(n, (stalled.get(n) ?? 0) + 1));
      await e.waitUntilReady();
      return e;
    }),
  );
  return {
    queues,
    stalled,
    async leftovers() {
      const out: Record<string, Record<string, number>> = {};
      for (const [name, q] of queues) {
        const counts = await q.getJobCounts('waiting', 'active', 'failed', 'prioritized', 'waiting-children');
        // Job schedulers keep their next run delayed (ids "repeat:..."): those are not leftovers.
        const delayed = (await q.getJobs(['delayed'])).filter((j) => !String(j.id).startsWith('repeat:')).length;
        const left = Object.fromEntries(Object.entries({ ...counts, delayed }).filter(([, v]) => v > 0));
        if (Object.keys(left).length > 0) out[name] = left;
      }
      return out;
    },
    async close() {
      await Promise.allSettled([...events.map((e) => e.close()), ...[...queues.values()].map((q) => q.close())]);
    },
  };
}

/** Registers a web push subscription served by `receiver` for `user`; returns the receiver's id for it. */
export async function registerWebPush(apiUrl: string, receiver: PushReceiver, user: { accessToken: string }): Promise<string> {
  const { id, subscription } = receiver.newWebSubscription();
  const res = await request(apiUrl)
    .post('/push/devices')
    .set('Authorization', `Bearer ${user.accessToken}`)
    .send({ platform: 'web', subscription });
  if (res.status !== 201) throw new Error(`POST /push/devices answered ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

/** Chat-message pushes the receiver got for one device: raw count, and distinct collapse topics (what the user sees). */
export function messagePushes(receiver: PushReceiver, device: string): { raw: number; inEffect: number } {
  const pushes = receiver.pushesTo(device).filter((p) => (p.body.data as { kind?: string } | undefined)?.kind === 'message');
  return { raw: pushes.length, inEffect: new Set(pushes.map((p) => p.headers.topic)).size };
}

type Maybe<T> = T | null | undefined | false;

/** Polls `probe` until it gives a value (an error counts as none); fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Maybe<T> | Promise<Maybe<T>>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: Error | null = null;
  while (Date.now() < end) {
    const value = await Promise.resolve()
      .then(probe)
      .catch((err: unknown) => {
        last = err instanceof Error ? err : new Error(String(err));
        return null;
      });
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  // `last` is assigned inside the catch callback, which TypeScript's narrowing does not see.
  const lastError = last as Error | null;
  throw new Error(`${what}: not within ${timeoutMs} ms${lastError ? ` (last error: ${lastError.message})` : ''}`);
}
