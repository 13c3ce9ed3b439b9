import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  connectSocket,
  emitWithAck,
  runProcess,
  type RunningProcess,
  type SignedUpUser,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';
import { cmid, connectedPair, type Json, type Pair } from '../chat/chat-fixtures.js';
import { PushReceiver } from '../notifications/push-receiver.js';
import { type QueueWatch, registerWebPush, until, watchQueues } from './job-effects.js';
import { scenario } from './summary.js';

// 10 chatting pairs (20 clients) plus 4 senders whose peer is offline with a web push device.
const PAIRS = 10;
const OFFLINE = 4;
const SEND_GAP_MS = 300;
// Sends each sender makes after the last restart, so traffic runs on the new processes too.
const AFTER = 3;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Client {
  user: SignedUpUser;
  chatId: string;
  socket: Socket | null;
  connecting: Promise<Socket> | null;
  /** Times it had to connect again because its process went away. */
  reconnects: number;
  sent: string[];
  acked: Map<string, { id: string; seq: number }>;
  mismatched: number;
}

/** chat:sync from seq 0, following `hasMore` (a gap of a send that died waits for its in-flight mark to age out). */
async function syncAll(socket: Socket, chatId: string): Promise<Json[]> {
  const messages: Json[] = [];
  let cursor = 0;
  const deadline = Date.now() + 25_000;
  for (;;) {
    const ack = await emitWithAck<Json>(socket, 'chat:sync', { cursors: { [chatId]: cursor } }, 10_000);
    if (!ack.ok) throw new Error(`chat:sync refused: ${JSON.stringify(ack.error)}`);
    const chat = (ack.data.chats as Json[]).find((c) => c.chatId === chatId);
    if (!chat) return messages;
    messages.push(...chat.messages);
    if (!chat.hasMore) return messages;
    if (chat.messages.length > 0) cursor = chat.messages.at(-1).seq;
    else if (Date.now() > deadline) return messages;
    else await sleep(500);
  }
}

/**
 * Matrix row of issue 17: a rolling SIGTERM restart of two api processes and the worker while clients
 * chat. Each client stays connected through a "load balancer" (the list of live api urls), reconnects
 * when its process goes away, re-sends what was not acked (same clientMessageId) and finally syncs.
 * Counted per message; the worker's jobs (pushes to offline peers) are each done once in effect.
 */
describe('rolling SIGTERM restart of the api processes and the worker under load', () => {
  let receiver: PushReceiver;
  let api: TestApi;
  let apis: ApiProcess[] = [];
  let worker: RunningProcess;
  let watch: QueueWatch;
  const retired: RunningProcess[] = [];
  const live: string[] = [];
  const clients: Client[] = [];
  let stopping = false;
  let workerEnv: Record<string, string>;

  beforeAll(async () => {
    receiver = new PushReceiver();
    await receiver.start();
    api = await startTestApi({ ...receiver.env(), NOTIFICATIONS_CHAT_DIGEST_MS: '1000' });
    apis = await Promise.all([startApiProcess(api.env), startApiProcess(api.env)]);
    live.push(...apis.map((a) => a.url));
    workerEnv = { ...api.env, LOG_LEVEL: 'info', NODE_EXTRA_CA_CERTS: receiver.caPath };
    worker = runProcess('worker', workerEnv);
    await worker.waitFor(/worker ready/, 30_000);
    watch = await watchQueues(api.env, ['notifications']);
    // Two or three compiled processes start here: slow on a busy 2-core machine.
  }, 120_000);
  afterAll(async () => {
    stopping = true;
    for (const c of clients) c.socket?.close();
    for (const p of [...apis, worker, ...retired]) await p?.stop('SIGKILL');
    await watch?.close();
    await api?.close();
    await receiver?.stop();
  });

  /** The client's socket, connecting (again) to a live api process when it has none. */
  const socketOf = (c: Client): Promise<Socket> => {
    if (c.socket?.connected) return Promise.resolve(c.socket);
    c.connecting ??= (async () => {
      const first = c.socket === null;
      c.socket?.close();
      for (let attempt = 0; ; attempt++) {
        const url = live[(clients.indexOf(c) + attempt) % live.length];
        try {
          const socket = await connectSocket(url, c.user.accessToken, { timeoutMs: 3000 });
          c.socket = socket;
          if (!first) c.reconnects++;
          // A process that goes away: connect elsewhere at once (a receiver too, not only at its next send).
          socket.on('disconnect', () => {
            if (!stopping) void socketOf(c);
          });
          return socket;
        } catch {
          await sleep(200);
        }
      }
    })().finally(() => (c.connecting = null));
    return c.connecting;
  };

  const client = async (user: SignedUpUser, chatId: string): Promise<Client> => {
    const c: Client = { user, chatId, socket: null, connecting: null, reconnects: 0, sent: [], acked: new Map(), mismatched: 0 };
    clients.push(c);
    await socketOf(c);
    return c;
  };

  /** One send, retried with the same id (on whatever process the client is on now) until acked. */
  const send = async (c: Client, text: string): Promise<void> => {
    const id = cmid('roll');
    c.sent.push(id);
    for (let attempt = 0; attempt < 60 && !c.acked.has(id); attempt++) {
      const socket = await socketOf(c);
      const ack = await emitWithAck<Json>(socket, 'chat:send', { chatId: c.chatId, clientMessageId: id, text }, 4000).catch(() => null);
      if (ack?.ok) {
        const got = { id: ack.data.id as string, seq: ack.data.seq as number };
        const seen = c.acked.get(id);
        if (seen && (seen.id !== got.id || seen.seq !== got.seq)) c.mismatched++;
        c.acked.set(id, got);
      } else await sleep(200);
    }
  };

  it('loses, duplicates and invents no message; every client reconnects and syncs; pushes once; no stalled job', { timeout: 240_000 }, () =>
    scenario(`rolling SIGTERM restart (2 api + worker), ${PAIRS * 2 + OFFLINE} clients`, async (counts) => {
      const pairs: Pair[] = await Promise.all(Array.from({ length: PAIRS + OFFLINE }, () => connectedPair(api)));
      const online = pairs.slice(0, PAIRS);
      const offline = pairs.slice(PAIRS);
      const devices = await Promise.all(offline.map((p) => registerWebPush(api.url, receiver, p.b)));
      const senders = await Promise.all(pairs.map((p) => client(p.a, p.chatId)));
      await Promise.all(online.map((p) => client(p.b, p.chatId)));

      let restarted = false;
      const traffic = Promise.all(
        senders.map(async (c) => {
          let after = 0;
          for (let n = 0; !restarted || after < AFTER; n++) {
            if (restarted) after++;
            await send(c, `m${n} from ${c.user.userId}`);
            await sleep(SEND_GAP_MS);
          }
        }),
      );
      const someTraffic = async (): Promise<void> => {
        const before = senders.map((c) => c.acked.size);
        await until('sends acked between restarts', () => senders.every((c, i) => c.acked.size >= before[i] + 2), 60_000);
      };
      const exits: Array<{ code: number | null; signal: NodeJS.Signals | null }> = [];

      await someTraffic();
      for (let i = 0; i < apis.length; i++) {
        const old = apis[i];
        // Out of the load balancer first, then SIGTERM: its clients reconnect to the other process.
        live.splice(live.indexOf(old.url), 1);
        exits.push(await old.stop('SIGTERM'));
        retired.push(old);
        apis[i] = await startApiProcess(api.env);
        live.push(apis[i].url);
        await someTraffic();
      }
      exits.push(await worker.stop('SIGTERM'));
      retired.push(worker);
      worker = runProcess('worker', workerEnv);
      await worker.waitFor(/worker ready/, 30_000);
      await someTraffic();
      restarted = true;
      await traffic;

      let lost = 0;
      let duplicated = 0;
      let unexpected = 0;
      let unordered = 0;
      const byChat = new Map(senders.map((c) => [c.chatId, c]));
      for (const c of clients) {
        const sender = byChat.get(c.chatId)!;
        const messages = await syncAll(await socketOf(c), c.chatId);
        const ids = messages.map((m) => m.clientMessageId as string);
        lost += [...sender.acked.keys()].filter((id) => !ids.includes(id)).length;
        duplicated += ids.length - new Set(ids).size;
        unexpected += ids.filter((id) => !sender.sent.includes(id)).length;
        unordered += messages.filter((m, i) => i > 0 && m.seq <= messages[i - 1].seq).length;
        for (const m of messages) {
          const ack = sender.acked.get(m.clientMessageId);
          if (ack && (ack.id !== m.id || ack.seq !== m.seq)) unexpected++;
        }
      }

      // The worker's jobs: every offline peer is pushed its chat's last message, no notification twice.
      const lastOf = offline.map((p) => {
        const c = byChat.get(p.chatId)!;
        return c.acked.get(c.sent.at(-1)!)!.id;
      });
      const pushed = await until(
        'the last message of every offline chat pushed',
        () => {
          const got = devices.map((d) => receiver.pushesTo(d).filter((p) => (p.body.data as Json)?.kind === 'message'));
          return got.every((pushes, i) => pushes.some((p) => (p.body.data as Json).messageId === lastOf[i])) && got;
        },
        60_000,
      );
      const leftovers = await until(
        'notifications queue drained',
        async () => {
          const left = await watch.leftovers();
          return Object.keys(left).length === 0 && left;
        },
        30_000,
      ).catch(() => watch.leftovers());
      const rawPushes = pushed.reduce((n, p) => n + p.length, 0);
      const repeatedPushes = pushed.reduce((n, p) => n + p.length - new Set(p.map((x) => (x.body.data as Json).notificationId)).size, 0);

      const mismatched = senders.reduce((n, c) => n + c.mismatched, 0);
      const notReconnected = clients.filter((c) => c.reconnects === 0).length;
      counts.sent = senders.reduce((n, c) => n + c.sent.length, 0);
      counts.acked = senders.reduce((n, c) => n + c.acked.size, 0);
      counts.lost = lost;
      counts.duplicated = duplicated;
      counts.note = `unexpected ${unexpected}, out of order ${unordered}, reconnects ${clients.reduce((n, c) => n + c.reconnects, 0)}, pushes ${rawPushes} (repeated ${repeatedPushes}), stalled jobs ${watch.stalled.get('notifications')}`;

      expect(exits).toEqual([0, 0, 0].map(() => ({ code: 0, signal: null })));
      expect({ lost, duplicated, unexpected, unordered, mismatched, notReconnected }).toEqual({
        lost: 0,
        duplicated: 0,
        unexpected: 0,
        unordered: 0,
        mismatched: 0,
        notReconnected: 0,
      });
      expect(counts.acked).toBe(counts.sent);
      expect(repeatedPushes).toBe(0);
      expect(leftovers).toEqual({});
      expect(watch.stalled.get('notifications')).toBe(0);
      expect(receiver.problems).toEqual([]);
    }),
  );
});
