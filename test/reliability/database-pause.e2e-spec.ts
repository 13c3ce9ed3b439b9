import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitWithAck, socketPool, startTestApi, type TestApi } from '@test/support';
import { auth, cmid, connectedPair, type Json, type Pair } from '../chat/chat-fixtures.js';
import { type OwnServer, startOwnFerretDb } from './own-services.js';
import { scenario } from './summary.js';

// Small bounds so the pause is noticed quickly; the pause itself is the 15 s.
const SELECTION_MS = 1500;
const SOCKET_MS = 2000;
const PAUSE_MS = 15_000;
// The slowest path measured: an operation on a hung socket (SOCKET_MS), then a retry on a new connection
// (connect timeout = SELECTION_MS) and server selection; about 5.3 s here. Once the monitor has marked the
// server down, calls fail after SELECTION_MS.
const BOUND_MS = SOCKET_MS + 3 * SELECTION_MS + 1000;

/** Defect 5 and the "database paused" row of issue 17, on a FerretDB of this test's own. */
describe('the database paused (SIGSTOP) mid-use', () => {
  let db: OwnServer;
  let api: TestApi;
  let pair: Pair;
  const sockets = socketPool();

  beforeAll(async () => {
    db = await startOwnFerretDb();
    api = await startTestApi({
      MONGODB_URI: `${db.url}paused`,
      DB_SERVER_SELECTION_TIMEOUT_MS: String(SELECTION_MS),
      DB_SOCKET_TIMEOUT_MS: String(SOCKET_MS),
    });
    pair = await connectedPair(api);
  });
  afterAll(async () => {
    sockets.closeAll();
    db?.resume();
    try {
      await api?.close();
    } finally {
      await db?.close();
    }
  });

  it('answers REST with 503 database_unavailable and refuses chat:send within a bound; no ack for an unsaved message; all works after SIGCONT', () =>
    scenario(`database paused (SIGSTOP) ${PAUSE_MS / 1000} s`, async (counts) => {
      const socket = await sockets.connect(api.url, pair.a.accessToken);
      const before = await emitWithAck<Json>(socket, 'chat:send', { chatId: pair.chatId, clientMessageId: cmid(), text: 'before' });
      expect(before.ok).toBe(true);

      db.pause();
      const resumeAt = Date.now() + PAUSE_MS;
      const ids: string[] = [];
      const acks: Json[] = [];
      const rest: Array<{ status: number; body: Json; retryAfter?: string }> = [];
      try {
        // A few sends and reads while the database is away: each one answered, none acked.
        for (let i = 0; i < 3; i++) {
          const id = cmid('paused');
          ids.push(id);
          const [ack, res] = await Promise.all([
            emitWithAck<Json>(socket, 'chat:send', { chatId: pair.chatId, clientMessageId: id, text: `during ${i}` }, BOUND_MS),
            request(api.url).get(`/chats/${pair.chatId}/messages`).set(auth(pair.a)).timeout(BOUND_MS),
          ]);
          acks.push(ack);
          rest.push({ status: res.status, body: res.body, retryAfter: res.headers['retry-after'] });
        }
        const profile = await request(api.url).get('/profile').set(auth(pair.b)).timeout(BOUND_MS);
        rest.push({ status: profile.status, body: profile.body, retryAfter: profile.headers['retry-after'] });
      } finally {
        await new Promise((r) => setTimeout(r, Math.max(0, resumeAt - Date.now())));
        db.resume();
      }

      for (const ack of acks) expect(ack).toMatchObject({ ok: false, error: { code: 'database_unavailable' } });
      for (const res of rest) {
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ statusCode: 503, code: 'database_unavailable' });
        expect(Number(res.retryAfter)).toBeGreaterThan(0);
      }

      // After SIGCONT: the app retries its unacked sends with the same ids and ends with one message each.
      let retried: Json[] = [];
      for (let attempt = 0; attempt < 20; attempt++) {
        retried = await Promise.all(
          ids.map((id, i) =>
            emitWithAck<Json>(socket, 'chat:send', { chatId: pair.chatId, clientMessageId: id, text: `during ${i}` }, BOUND_MS),
          ),
        );
        if (retried.every((a) => a.ok)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(retried.map((a) => a.ok)).toEqual([true, true, true]);
      const history = await request(api.url).get(`/chats/${pair.chatId}/messages`).set(auth(pair.b));
      expect(history.status).toBe(200);
      const texts = (history.body.items as Array<{ text: string }>).map((m) => m.text).sort();
      expect(texts).toEqual(['before', 'during 0', 'during 1', 'during 2']);
      const seqs = (history.body.items as Array<{ seq: number }>).map((m) => m.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect((await request(api.url).get('/health/ready')).status).toBe(200);
      counts.sent = 1 + ids.length;
      counts.acked = 1 + retried.filter((a) => a.ok).length;
      counts.lost = 4 - new Set(texts).size;
      counts.duplicated = texts.length - new Set(texts).size;
      counts.note = `${acks.length} sends refused, ${rest.length} REST 503 while paused`;
    }));
});
