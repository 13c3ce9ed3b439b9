import { type ConnectionOptions, Queue } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitWithAck, runProcess, type RunningProcess, socketPool, startTestApi, type TestApi } from '@test/support';
import { redisOptionsFromUrl } from '../../src/core/redis/index.js';
import { auth, cmid, connectedPair, type Json, type Pair } from '../chat/chat-fixtures.js';
import { type OwnServer, startOwnRedis } from './own-services.js';
import { scenario } from './summary.js';

// Redis is down for 10 s, as in the row.
const OUTAGE_MS = 10_000;
const COMMAND_TIMEOUT_MS = 1000;

async function eventually<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe().catch(() => undefined as T);
    if (last !== undefined && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms; last ${JSON.stringify(last)}`);
}

/** Defect 6 and the "Redis stopped, then started empty" row of issue 17, on a redis-server of this test's own. */
describe('Redis stopped mid-use, then started empty', () => {
  let redis: OwnServer;
  let api: TestApi;
  let worker: RunningProcess;
  let pair: Pair;
  const queues: Queue[] = [];
  const sockets = socketPool();

  const schedulers = async (): Promise<string[]> => {
    const ids = await Promise.all(queues.map((q) => q.getJobSchedulers()));
    return ids
      .flat()
      .map((s) => s.key)
      .sort();
  };

  beforeAll(async () => {
    redis = await startOwnRedis();
    api = await startTestApi({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), SCHEDULER_CHECK_MS: '1000' });
    worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    await worker.waitFor(/worker ready/, 30_000);
    const connection = { ...redisOptionsFromUrl(redis.url), maxRetriesPerRequest: null } as ConnectionOptions;
    // Each module owns its queue (src/modules/*/*.jobs.ts); these are the ones the worker keeps a scheduler on.
    for (const name of ['auth', 'connections', 'media', 'qr', 'status', 'worker']) {
      const queue = new Queue(name, { connection, prefix: `${api.env.REDIS_PREFIX}:bull` });
      queue.on('error', () => undefined); // expected while Redis is stopped
      queues.push(queue);
    }
    pair = await connectedPair(api);
  });
  afterAll(async () => {
    sockets.closeAll();
    await Promise.allSettled(queues.map((q) => q.close()));
    await worker?.stop();
    try {
      await api?.close();
    } finally {
      await redis?.close();
    }
  });

  it('fails sends fast while away, keeps every session signed in, and re-creates the job schedulers', { timeout: 120_000 }, () =>
    scenario(`Redis stopped ${OUTAGE_MS / 1000} s, started empty`, async (counts) => {
      // Every `schedulers.keep(` in src: the worker upserts them at boot and re-creates them when missing.
      const expected = [
        'auth-cleanup',
        'connections-requests-cleanup',
        'media-sweep-orphans',
        'qr-cleanup',
        'status-cleanup',
        'worker-heartbeat',
      ];
      expect(await eventually('schedulers at boot', schedulers, (s) => s.length === expected.length)).toEqual(expected);
      const socket = await sockets.connect(api.url, pair.a.accessToken);
      const sent: string[] = [];
      const acked = new Map<string, number>();
      const send = async (text: string, id = cmid()): Promise<Json> => {
        if (!sent.includes(id)) sent.push(id);
        const ack = await emitWithAck<Json>(socket, 'chat:send', { chatId: pair.chatId, clientMessageId: id, text }, 5000);
        if (ack.ok) acked.set(id, (ack.data as { seq: number }).seq);
        return ack;
      };
      expect((await send('before')).ok).toBe(true);

      await redis.stop();
      const downUntil = Date.now() + OUTAGE_MS;
      const refusedId = cmid('outage');
      // While Redis is away: the send is answered (an error the app can show), not left hanging for 12 s.
      const during = await send('during', refusedId);
      const rest = await request(api.url).get('/profile').set(auth(pair.a)).timeout(5000);
      await new Promise((r) => setTimeout(r, Math.max(0, downUntil - Date.now())));
      await redis.start(); // empty: no sessions, no schedulers, no presence

      // The same access tokens keep working once Redis is back: the session comes from the database.
      const profile = await eventually(
        'GET /profile with the old token',
        () => request(api.url).get('/profile').set(auth(pair.b)),
        (r) => r.status !== 503,
      );
      expect(profile.status).toBe(200);

      // The app retries its refused send (same id) and goes on; each stored exactly once.
      const retried = await eventually(
        'retried send',
        () => send('during', refusedId),
        (a: Json) => a.ok === true,
      );
      expect(retried.ok).toBe(true);
      expect((await send('after')).ok).toBe(true);
      const history = await request(api.url).get(`/chats/${pair.chatId}/messages`).set(auth(pair.b));
      const texts = (history.body.items as Array<{ text: string }>).map((m) => m.text);
      expect(texts).toEqual(['before', 'during', 'after']);

      // Scheduled jobs come back without restarting the worker.
      expect(await eventually('schedulers re-created', schedulers, (s) => s.length === expected.length)).toEqual(expected);

      // Presence recovers: the socket that stayed open is online again for its contact, at the process's
      // next heartbeat (every PRESENCE_OFFLINE_AFTER_MS / 4 = 15 s), so wait up to two of them.
      const seen = await eventually(
        'presence of a',
        () => request(api.url).get('/presence').query({ userIds: pair.a.userId }).set(auth(pair.b)),
        (r) => r.body.items?.[0]?.online === true,
        30_000,
      );
      expect(seen.body.items[0].online).toBe(true);

      // Checked last so the recovery above is exercised even if the outage answers change.
      if (during.ok) acked.set(refusedId, (during.data as { seq: number }).seq);
      else expect(during.error.code).toBe('redis_unavailable');
      expect(rest.status).toBe(503);
      expect(rest.body.code).toBe('redis_unavailable');

      counts.sent = sent.length;
      counts.acked = acked.size;
      counts.lost = [...acked.keys()].filter((id, i) => !texts[i] && id).length;
      counts.duplicated = texts.length - new Set(texts).size;
      counts.note = `send during outage: ${during.ok ? 'stored' : during.error.code}`;
    }),
  );
});
