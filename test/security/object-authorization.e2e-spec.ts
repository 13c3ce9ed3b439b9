import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  emitWithAck,
  noEvent,
  runProcess,
  type RunningProcess,
  type SignedUpUser,
  signUp,
  socketPool,
  startTestApi,
  type TestApi,
} from '@test/support';
import type { Socket } from 'socket.io-client';
import { invite, okData, sdp } from '../calls/call-fixtures.js';
import { PushReceiver } from '../notifications/push-receiver.js';
import { auth, cmid, connectedPair, type Json, type Pair } from '../chat/chat-fixtures.js';
import { scenario } from '../reliability/summary.js';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The victims' objects an intruder tries to reach. */
interface Victims {
  pair: Pair;
  messageId: string;
  requestId: string;
  sessionId: string;
  /** a's call to b, still ringing while the intruder tries it. */
  callId: string;
  /** An earlier call of a to b, cancelled: in both parties' call logs. */
  loggedCallId: string;
  /** a's text status, for a's contacts only. */
  statusId: string;
  /** a's uploaded image. */
  mediaId: string;
  /** The third user's notification of a's connection request. */
  notificationId: string;
  /** a's registered push device. */
  deviceId: string;
  /** Strings that must never appear in an answer to the intruder. */
  secrets: string[];
}

type Call = (api: TestApi, intruder: SignedUpUser, v: Victims) => request.Test;
/**
 * How to call each route with another user's ids: a call (answer must be 403/404, or 2xx that leaks
 * nothing of the victims), or the reason the route has no other user's object to try.
 */
type Entry = { call: Call; allow2xx?: boolean } | { skip: string };

const SELF = { skip: "acts only on the caller's own account: no other user's id in the request" };
const NO_OBJECT = { skip: 'public or operations route: no user object' };

const ROUTES: Record<string, Entry> = {
  'GET /metrics': NO_OBJECT,
  'GET /health/live': NO_OBJECT,
  'GET /health/ready': NO_OBJECT,
  'GET /auth/countries': NO_OBJECT,
  'POST /auth/otp/request': { skip: 'sign-in: covered by the OTP suites (identical answers for known and unknown identifiers)' },
  'POST /auth/otp/verify': { skip: 'sign-in: covered by the OTP suites' },
  'POST /auth/refresh': { skip: 'the refresh token is the capability; reuse and unknown tokens are refused (test/auth/sessions)' },
  'GET /files/{key}': { skip: 'public avatars by unguessable key (test/profile/avatar: crafted keys are 404)' },
  'POST /auth/logout': SELF,
  'GET /auth/sessions': { call: (api, i) => request(api.url).get('/auth/sessions').set(auth(i)), allow2xx: true },
  'DELETE /auth/sessions/{id}': { call: (api, i, v) => request(api.url).delete(`/auth/sessions/${v.sessionId}`).set(auth(i)) },
  'POST /users/me/identifiers/request': SELF,
  'POST /users/me/identifiers/verify': SELF,
  'GET /profile': { call: (api, i) => request(api.url).get('/profile').set(auth(i)), allow2xx: true },
  'PATCH /profile': SELF,
  'PUT /profile/avatar': SELF,
  'DELETE /profile/avatar': SELF,
  'GET /profile/privacy': SELF,
  'PATCH /profile/privacy': SELF,
  'GET /connections': { call: (api, i) => request(api.url).get('/connections').set(auth(i)), allow2xx: true },
  'GET /connections/requests': { call: (api, i) => request(api.url).get('/connections/requests').set(auth(i)), allow2xx: true },
  'POST /connections/requests/{id}/accept': {
    call: (api, i, v) => request(api.url).post(`/connections/requests/${v.requestId}/accept`).set(auth(i)),
  },
  'POST /connections/requests/{id}/reject': {
    call: (api, i, v) => request(api.url).post(`/connections/requests/${v.requestId}/reject`).set(auth(i)),
  },
  'DELETE /connections/requests/{id}': {
    call: (api, i, v) => request(api.url).delete(`/connections/requests/${v.requestId}`).set(auth(i)),
  },
  'DELETE /connections/{userId}': { call: (api, i, v) => request(api.url).delete(`/connections/${v.pair.b.userId}`).set(auth(i)) },
  'GET /blocks': { call: (api, i) => request(api.url).get('/blocks').set(auth(i)), allow2xx: true },
  'POST /blocks/{userId}': { skip: "anyone may block anyone: it only changes the caller's own block list" },
  'DELETE /blocks/{userId}': { skip: "only removes an entry of the caller's own block list" },
  'GET /presence': {
    call: (api, i, v) => request(api.url).get('/presence').query({ userIds: v.pair.a.userId }).set(auth(i)),
    allow2xx: true,
  },
  'POST /qr': SELF,
  'POST /qr/scan': { skip: 'the QR token is the capability (shown to be scanned); single use is covered by test/qr' },
  'GET /chats': { call: (api, i) => request(api.url).get('/chats').set(auth(i)), allow2xx: true },
  'POST /chats': { call: (api, i, v) => request(api.url).post('/chats').set(auth(i)).send({ peerId: v.pair.a.userId }) },
  'GET /chats/{id}': { call: (api, i, v) => request(api.url).get(`/chats/${v.pair.chatId}`).set(auth(i)) },
  'POST /chats/{id}/seen': { call: (api, i, v) => request(api.url).post(`/chats/${v.pair.chatId}/seen`).set(auth(i)).send({ upToSeq: 1 }) },
  'POST /chats/{id}/delivered': {
    call: (api, i, v) => request(api.url).post(`/chats/${v.pair.chatId}/delivered`).set(auth(i)).send({ upToSeq: 1 }),
  },
  'POST /chats/{id}/messages': {
    call: (api, i, v) =>
      request(api.url).post(`/chats/${v.pair.chatId}/messages`).set(auth(i)).send({ clientMessageId: cmid(), text: 'intrusion' }),
  },
  'GET /chats/{id}/messages': { call: (api, i, v) => request(api.url).get(`/chats/${v.pair.chatId}/messages`).set(auth(i)) },
  'PATCH /chats/{id}/messages/{messageId}': {
    call: (api, i, v) => request(api.url).patch(`/chats/${v.pair.chatId}/messages/${v.messageId}`).set(auth(i)).send({ text: 'changed' }),
  },
  'DELETE /chats/{id}/messages/{messageId}': {
    call: (api, i, v) => request(api.url).delete(`/chats/${v.pair.chatId}/messages/${v.messageId}`).query({ for: 'everyone' }).set(auth(i)),
  },
  'PUT /chats/{id}/messages/{messageId}/reaction': {
    call: (api, i, v) =>
      request(api.url).put(`/chats/${v.pair.chatId}/messages/${v.messageId}/reaction`).set(auth(i)).send({ emoji: '👍' }),
  },
  'DELETE /chats/{id}/messages/{messageId}/reaction': {
    call: (api, i, v) => request(api.url).delete(`/chats/${v.pair.chatId}/messages/${v.messageId}/reaction`).set(auth(i)),
  },
  'GET /users/me': { call: (api, i) => request(api.url).get('/users/me').set(auth(i)), allow2xx: true },
  'DELETE /users/me': SELF,
  // Public fields of any user by design (never phone or email): 2xx allowed, nothing secret in it.
  'GET /users/{id}': { call: (api, i, v) => request(api.url).get(`/users/${v.pair.a.userId}`).set(auth(i)), allow2xx: true },
  'PUT /chats/{id}/mute': {
    call: (api, i, v) => request(api.url).put(`/chats/${v.pair.chatId}/mute`).set(auth(i)).send({ forever: true }),
  },
  'DELETE /chats/{id}/mute': { call: (api, i, v) => request(api.url).delete(`/chats/${v.pair.chatId}/mute`).set(auth(i)) },
  'POST /media': { skip: "uploads to the caller's own account: no other user's id in the request" },
  'GET /media/{id}': { call: (api, i, v) => request(api.url).get(`/media/${v.mediaId}`).set(auth(i)) },
  // Without a valid signature for that key: refused like any link not issued to the caller.
  'GET /signed/{key}': {
    call: (api, i, v) => request(api.url).get(`/signed/media/${v.pair.a.userId}/${v.mediaId}-original.png`).set(auth(i)),
  },
  'GET /calls': { call: (api, i) => request(api.url).get('/calls').set(auth(i)), allow2xx: true },
  'GET /calls/ice-servers': { call: (api, i) => request(api.url).get('/calls/ice-servers').set(auth(i)), allow2xx: true },
  'DELETE /calls/{id}': { call: (api, i, v) => request(api.url).delete(`/calls/${v.loggedCallId}`).set(auth(i)) },
  'GET /statuses/privacy': SELF,
  'PATCH /statuses/privacy': SELF,
  'PUT /statuses/mutes/{userId}': { skip: "anyone may mute anyone's statuses: it only changes the caller's own mute list" },
  'DELETE /statuses/mutes/{userId}': { skip: "only removes an entry of the caller's own mute list" },
  'POST /statuses': SELF,
  'GET /statuses': { call: (api, i) => request(api.url).get('/statuses').set(auth(i)), allow2xx: true },
  'GET /statuses/mine': { call: (api, i) => request(api.url).get('/statuses/mine').set(auth(i)), allow2xx: true },
  'GET /statuses/{id}': { call: (api, i, v) => request(api.url).get(`/statuses/${v.statusId}`).set(auth(i)) },
  'DELETE /statuses/{id}': { call: (api, i, v) => request(api.url).delete(`/statuses/${v.statusId}`).set(auth(i)) },
  'GET /statuses/{id}/media': { call: (api, i, v) => request(api.url).get(`/statuses/${v.statusId}/media`).set(auth(i)) },
  'POST /statuses/{id}/view': { call: (api, i, v) => request(api.url).post(`/statuses/${v.statusId}/view`).set(auth(i)) },
  'POST /statuses/{id}/reply': {
    call: (api, i, v) =>
      request(api.url).post(`/statuses/${v.statusId}/reply`).set(auth(i)).send({ clientMessageId: cmid(), text: 'intrusion' }),
  },
  'PUT /statuses/{id}/reaction': {
    call: (api, i, v) => request(api.url).put(`/statuses/${v.statusId}/reaction`).set(auth(i)).send({ emoji: '👍' }),
  },
  'GET /notifications': { call: (api, i) => request(api.url).get('/notifications').set(auth(i)), allow2xx: true },
  'GET /notifications/unread-count': { call: (api, i) => request(api.url).get('/notifications/unread-count').set(auth(i)), allow2xx: true },
  // Marks only the caller's own notifications: another user's id is ignored (the victim's stays unread, checked below).
  'POST /notifications/read': {
    call: (api, i, v) =>
      request(api.url)
        .post('/notifications/read')
        .set(auth(i))
        .send({ ids: [v.notificationId] }),
    allow2xx: true,
  },
  'GET /notifications/preferences': SELF,
  'PATCH /notifications/preferences': SELF,
  'POST /push/devices': { skip: "registers the caller's own device: no other user's id in the request" },
  'GET /push/devices': { call: (api, i) => request(api.url).get('/push/devices').set(auth(i)), allow2xx: true },
  'DELETE /push/devices/{id}': { call: (api, i, v) => request(api.url).delete(`/push/devices/${v.deviceId}`).set(auth(i)) },
  'GET /push/vapid-public-key': NO_OBJECT,
};

/** Client-to-server events, called with the victims' chat by the intruder: payload per event. */
const EVENTS: Record<string, ((v: Victims) => unknown) | { skip: string }> = {
  'auth:refresh': { skip: "the access token is the capability: the socket becomes whoever's token it sends (test/auth)" },
  'qr:watch': { skip: "watches the caller's own QR code: no other user's id in the payload" },
  'qr:unwatch': { skip: "stops watching the caller's own QR code" },
  'connection:respond': (v) => ({ requestId: v.requestId, accept: true }),
  'profile:sync': { skip: "answers the caller's own contacts' profile changes: no other user's id in the payload" },
  'call:invite': (v) => ({ peerId: v.pair.a.userId, kind: 'audio', sdp: sdp('intrusion') }),
  'call:accept': (v) => ({ callId: v.callId, sdp: sdp('intrusion') }),
  'call:reject': (v) => ({ callId: v.callId }),
  'call:cancel': (v) => ({ callId: v.callId }),
  'call:ice-candidate': (v) => ({
    callId: v.callId,
    candidates: [{ candidate: 'candidate:1 1 udp 1 192.0.2.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 }],
  }),
  'call:negotiate': (v) => ({ callId: v.callId, type: 'offer', sdp: sdp('intrusion') }),
  'call:end': (v) => ({ callId: v.callId }),
  'call:resume': (v) => ({ callId: v.callId }),
  'status:view': (v) => ({ statusId: v.statusId }),
  'media:cancel': (v) => ({ id: v.mediaId }),
  'notification:read': (v) => ({ ids: [v.notificationId] }),
  'chat:send': (v) => ({ chatId: v.pair.chatId, clientMessageId: cmid(), text: 'intrusion' }),
  'chat:typing': (v) => ({ chatId: v.pair.chatId, typing: true }),
  'message:delivered': (v) => ({ chatId: v.pair.chatId, upToSeq: 1 }),
  'message:seen': (v) => ({ chatId: v.pair.chatId, upToSeq: 1 }),
  'chat:history': (v) => ({ chatId: v.pair.chatId }),
  'chat:sync': (v) => ({ cursors: { [v.pair.chatId]: 0 } }),
};

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not within ${timeoutMs} ms`);
}

function documentedRoutes(): string[] {
  const doc = JSON.parse(readFileSync(root('docs/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
}

async function documentedClientEvents(): Promise<string[]> {
  const { document } = await new Parser().parse(readFileSync(root('docs/asyncapi.yaml'), 'utf8'));
  return document!
    .operations()
    .all()
    .filter((op) => op.action() === 'receive')
    .flatMap((op) =>
      op
        .channels()
        .all()
        .map((c) => c.address() ?? ''),
    );
}

/** Object-level authorization row of issue 17: every documented route and client event, with another user's ids. */
describe("object-level authorization: every route and event with another user's ids", () => {
  let api: TestApi;
  let intruder: SignedUpUser;
  let v: Victims;
  let third: SignedUpUser;
  let worker: RunningProcess;
  let receiver: PushReceiver;
  let bSocket: Socket;
  const sockets = socketPool();

  beforeAll(async () => {
    // Push configured (a local receiver) so a victim can register a device; the worker writes
    // notifications and processes the upload: the victims need a real one of each.
    receiver = new PushReceiver();
    await receiver.start();
    api = await startTestApi(receiver.env());
    worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info', NODE_EXTRA_CA_CERTS: receiver.caPath });
    await worker.waitFor(/worker ready/, 30_000);
    const pair = await connectedPair(api);
    intruder = await signUp(api);
    const sent = await request(api.url)
      .post(`/chats/${pair.chatId}/messages`)
      .set(auth(pair.a))
      .send({ clientMessageId: cmid(), text: 'private words' });
    // A pending request from a to a third user.
    third = await signUp(api);
    const qr = await request(api.url).post('/qr').set(auth(third));
    await request(api.url).post('/qr/scan').set(auth(pair.a)).send({ token: qr.body.token });
    const pending = await request(api.url).get('/connections/requests').set(auth(third));
    const requestId = ((pending.body.incoming ?? pending.body.items ?? []) as Json[])[0]?.id as string;
    // a calls b (b online) and cancels (a logged call), rings b again (left ringing), posts a status
    // for its contacts, uploads an image and registers a push device.
    const aSocket = await sockets.connect(api.url, pair.a.accessToken);
    bSocket = await sockets.connect(api.url, pair.b.accessToken);
    const logged = await invite(aSocket, pair.b);
    okData(await emitWithAck(aSocket, 'call:cancel', { callId: logged.callId }));
    const { callId } = await invite(aSocket, pair.b);
    const status = await request(api.url)
      .post('/statuses')
      .set(auth(pair.a))
      .send({ kind: 'text', text: 'private status', background: '#25D366', font: 'serif' });
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const media = await request(api.url).post('/media').set(auth(pair.a)).attach('file', png, 'private.png');
    const { subscription } = receiver.newWebSubscription();
    const device = await request(api.url).post('/push/devices').set(auth(pair.a)).send({ platform: 'web', subscription });
    const notificationId = await eventually(async () => {
      const feed = await request(api.url).get('/notifications').set(auth(third));
      return ((feed.body.items ?? []) as Json[])[0]?.id as string | undefined;
    });
    v = {
      pair,
      messageId: sent.body.id,
      requestId,
      sessionId: pair.a.sessionId,
      callId,
      loggedCallId: logged.callId,
      statusId: status.body.id,
      mediaId: media.body.id,
      notificationId,
      deviceId: device.body.id,
      secrets: [
        pair.chatId,
        sent.body.id,
        'private words',
        requestId,
        pair.a.sessionId,
        pair.a.identifier,
        pair.b.identifier,
        callId,
        logged.callId,
        status.body.id,
        'private status',
        media.body.id,
        notificationId,
        device.body.id,
        subscription.endpoint,
        subscription.keys.auth,
      ],
    };
    expect([status.status, media.status, device.status]).toEqual([201, expect.any(Number), 201]);
    for (const id of [requestId, callId, v.loggedCallId, v.statusId, v.mediaId, notificationId, v.deviceId])
      expect(id).toMatch(/^[0-9a-f]{24}$/);
  });
  afterAll(async () => {
    sockets.closeAll();
    await worker?.stop();
    await api?.close();
    await receiver?.stop();
  });

  it('has an entry for every route in docs/openapi.json and every event in docs/asyncapi.yaml', async () => {
    expect(documentedRoutes().filter((r) => !(r in ROUTES))).toEqual([]);
    expect((await documentedClientEvents()).filter((e) => !(e in EVENTS))).toEqual([]);
  });

  it('answers every route 403/404 (or 2xx leaking nothing), and the victims are unchanged', () =>
    scenario('object-level authorization (REST + socket)', async (counts) => {
      const failures: string[] = [];
      let tried = 0;
      for (const route of documentedRoutes()) {
        const entry = ROUTES[route];
        if (!entry || 'skip' in entry) continue;
        tried++;
        const res = await entry.call(api, intruder, v);
        const body = JSON.stringify(res.body ?? {});
        const leaked = v.secrets.filter((s) => body.includes(s));
        const statusOk = [403, 404].includes(res.status) || (entry.allow2xx === true && res.status >= 200 && res.status < 300);
        if (!statusOk || leaked.length > 0)
          failures.push(`${route}: ${res.status} ${leaked.length ? `leaked ${leaked.join(',')}` : body.slice(0, 120)}`);
      }
      // Socket events: refused, and nothing reaches the victims.
      const intruderSocket = await sockets.connect(api.url, intruder.accessToken);
      const victimSocket = await sockets.connect(api.url, v.pair.b.accessToken);
      const quiet = noEvent(victimSocket, 'chat:receive', 1500);
      const quietTyping = noEvent(victimSocket, 'chat:typing', 1500);
      const quietCall = noEvent(victimSocket, 'call:incoming', 1500);
      for (const event of await documentedClientEvents()) {
        const payload = EVENTS[event];
        if (!payload || typeof payload !== 'function') continue;
        tried++;
        const ack = await emitWithAck<Json>(intruderSocket, event, payload(v));
        const body = JSON.stringify(ack);
        const leaked = v.secrets.filter((s) => s !== v.pair.chatId && body.includes(s));
        const refused = !ack.ok && /(^|_)(not_found|forbidden|not_connected|not_participant)$/.test(ack.error.code);
        // chat:sync of a chat the intruder is not in may answer ok with nothing of it.
        const emptySync = event === 'chat:sync' && ack.ok && (ack.data.chats as Json[]).length === 0;
        // notification:read marks only the caller's own: another user's id answers ok with nothing marked.
        const noneMarked = event === 'notification:read' && ack.ok && ack.data.updated === 0;
        if (!(refused || emptySync || noneMarked) || leaked.length > 0) failures.push(`${event}: ${body.slice(0, 160)}`);
      }
      expect(await quiet).toBe(true);
      expect(await quietTyping).toBe(true);
      expect(await quietCall).toBe(true);
      // The victims' objects are intact.
      const history = await request(api.url).get(`/chats/${v.pair.chatId}/messages`).set(auth(v.pair.b));
      // The cancelled call's own entry (type call, posted by a's call) aside, only a's message, unchanged.
      expect((history.body.items as Json[]).map((m) => [m.type, m.text, m.editedAt, m.deleted, m.reactions])).toEqual([
        ['text', 'private words', null, false, {}],
        ['call', null, null, false, {}],
      ]);
      expect((await request(api.url).get('/profile').set(auth(v.pair.a))).status).toBe(200); // session not revoked
      expect((await request(api.url).get(`/statuses/${v.statusId}`).set(auth(v.pair.b))).status).toBe(200); // status not deleted
      expect((await request(api.url).get(`/media/${v.mediaId}`).set(auth(v.pair.a))).body.status).not.toBe('failed'); // not cancelled
      const devices = await request(api.url).get('/push/devices').set(auth(v.pair.a));
      expect((devices.body.items as Json[]).map((d) => d.id)).toContain(v.deviceId);
      const calls = await request(api.url).get('/calls').set(auth(v.pair.a));
      expect((calls.body.items as Json[]).map((c) => c.id)).toContain(v.loggedCallId);
      // Still ringing: none of the intruder's accept/reject/cancel/end touched it, so its callee can reject it.
      okData(await emitWithAck(bSocket, 'call:reject', { callId: v.callId }));
      const feed = await request(api.url).get('/notifications').set(auth(third));
      expect((feed.body.items as Json[]).find((n) => n.id === v.notificationId)?.readAt ?? null).toBeNull();
      for (const member of [v.pair.a, v.pair.b]) {
        const chat = await request(api.url).get(`/chats/${v.pair.chatId}`).set(auth(member));
        expect([chat.status, chat.body.muted]).toEqual([200, false]); // the intruder's PUT /mute changed nobody's chat
      }
      counts.sent = tried;
      counts.note = `${tried} routes/events tried, ${failures.length} answered wrongly`;
      expect(failures).toEqual([]);
    }));
});
