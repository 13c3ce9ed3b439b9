import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, emitWithAck, socketPool, startApiProcess, startTestApi, type TestApi } from '@test/support';
import { auth, cmid, connectedPair, type Json } from '../chat/chat-fixtures.js';
import { scenario } from './summary.js';

// The 5 minutes offline, while the peer sends, edits and deletes (one action every 5 s). The
// file mostly sleeps: scripts/test.sh runs it in a lane of its own beside the rest of the suite
// (vitest.config.ts, project "sleepers"), so it does not add its 5 minutes to the suite's wall time.
const OFFLINE_MS = 5 * 60_000;
const ACTIONS = 60;
const HELD = 10;

type Held = { text: string | null; deleted: boolean };

describe('a client offline for 5 minutes while messages, edits and deletes arrive', () => {
  let api: TestApi;
  let other: ApiProcess;
  const sockets = socketPool();
  beforeAll(async () => {
    api = await startTestApi();
    other = await startApiProcess(api.env);
  });
  afterAll(async () => {
    sockets.closeAll();
    await other?.stop();
    await api?.close();
  });

  it(
    'catches up with chat:sync on another process: every new message once, in order, and every edit and delete of what it held',
    { timeout: OFFLINE_MS + 120_000 },
    () =>
      scenario('client offline 5 min while messages, edits, deletes arrive', async (counts) => {
        const pair = await connectedPair(api);
        const sender = await sockets.connect(api.url, pair.a.accessToken);
        const send = async (text: string): Promise<Json> => {
          counts.sent++;
          const ack = await emitWithAck<Json>(sender, 'chat:send', { chatId: pair.chatId, clientMessageId: cmid(), text });
          if (!ack.ok) throw new Error(`chat:send refused: ${JSON.stringify(ack.error)}`);
          counts.acked++;
          return ack.data;
        };
        // What the server holds, as the sender made it: id -> current text / deleted.
        const truth = new Map<string, Held>();
        const seqOf = new Map<string, number>();
        for (let i = 0; i < HELD; i++) {
          const m = await send(`held ${i}`);
          truth.set(m.id, { text: m.text, deleted: false });
          seqOf.set(m.id, m.seq);
        }

        // The receiver syncs once (first sync: change cursor 0) and goes offline holding these.
        const phone = await sockets.connect(other.url, pair.b.accessToken);
        const first = await emitWithAck<Json>(phone, 'chat:sync', { changeCursors: { [pair.chatId]: 0 } });
        expect(first.ok).toBe(true);
        const held = new Map<string, Held>(
          (first.ok ? first.data.chats[0].messages : []).map((m: Json) => [m.id, { text: m.text, deleted: m.deleted }]),
        );
        expect(held.size).toBe(HELD);
        let cursor = Math.max(...seqOf.values());
        let changeCursor: number = first.ok ? first.data.chats[0].changeSeq : 0;
        phone.close();

        // While it is away: sends, edits and deletes for everyone, of held and of new messages, over REST
        // on the other process too. Timers only: the test process idles between actions.
        const started = Date.now();
        const rest = [request(api.url), request(other.url)];
        for (let i = 0; i < ACTIONS; i++) {
          const ids = [...truth.keys()].filter((id) => !truth.get(id)!.deleted);
          const target = ids[(i * 7) % ids.length];
          if (i % 4 === 2) {
            const text = `edited ${i}`;
            const res = await rest[i % 2].patch(`/chats/${pair.chatId}/messages/${target}`).set(auth(pair.a)).send({ text });
            expect(res.status).toBe(200);
            truth.set(target, { text, deleted: false });
          } else if (i % 4 === 3) {
            const res = await rest[i % 2].delete(`/chats/${pair.chatId}/messages/${target}?for=everyone`).set(auth(pair.a));
            expect(res.status).toBe(204);
            truth.set(target, { text: null, deleted: true });
          } else {
            const m = await send(`while away ${i}`);
            truth.set(m.id, { text: m.text, deleted: false });
            seqOf.set(m.id, m.seq);
          }
          await new Promise((r) => setTimeout(r, Math.max(0, started + ((i + 1) * OFFLINE_MS) / ACTIONS - Date.now())));
        }

        // Back, on the other process than the one it synced on: new messages and changes, page by page.
        const back = await sockets.connect(api.url, pair.b.accessToken);
        const got: Json[] = [];
        let changes = 0;
        for (;;) {
          const ack = await emitWithAck<Json>(back, 'chat:sync', {
            cursors: { [pair.chatId]: cursor },
            changeCursors: { [pair.chatId]: changeCursor },
          });
          expect(ack.ok).toBe(true);
          const chat = ack.ok ? (ack.data.chats as Json[]).find((c) => c.chatId === pair.chatId) : undefined;
          if (!chat) break;
          got.push(...chat.messages);
          for (const m of chat.messages) held.set(m.id, { text: m.text, deleted: m.deleted });
          for (const c of chat.changes) {
            changes++;
            held.set(c.message.id, { text: c.message.text, deleted: c.message.deleted });
          }
          if (chat.messages.length > 0) cursor = chat.messages.at(-1).seq;
          changeCursor = chat.changeSeq;
          if (!chat.hasMore) break;
        }

        const newIds = [...seqOf.keys()].slice(HELD);
        counts.lost = newIds.filter((id) => !got.some((m) => m.id === id)).length;
        counts.duplicated = got.length - new Set(got.map((m) => m.id)).size;
        const stale = [...truth].filter(([id, t]) => held.get(id)?.text !== t.text || held.get(id)?.deleted !== t.deleted).length;
        counts.note = `${Math.round((Date.now() - started) / 1000)} s away; ${changes} changes synced; ${stale} messages not as the sender left them`;
        expect(got.map((m) => m.id)).toEqual(newIds);
        expect(got.every((m, i) => i === 0 || m.seq > got[i - 1].seq)).toBe(true);
        expect(Object.fromEntries(held)).toEqual(Object.fromEntries(truth));
      }),
  );
});
