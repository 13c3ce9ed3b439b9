import { createHmac } from 'node:crypto';
import { ObjectId } from 'mongodb';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  emitWithAck,
  nextEvent,
  noEvent,
  runProcess,
  type RunningProcess,
  type SignedUpUser,
  signUp,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';
import {
  auth,
  callLog,
  expectDocumented,
  candidate,
  connectedPair,
  errorCode,
  invite,
  type Json,
  logEntry,
  okData,
  sdp,
} from './call-fixtures.js';

const GRACE_SECONDS = 3;
const TURN_SECRET = 'turn-test-secret-0123456789';
const ENV = {
  CALL_RECONNECT_GRACE_SECONDS: String(GRACE_SECONDS),
  TURN_SECRET,
  TURN_URLS: 'turn:127.0.0.1:3478?transport=udp,turns:turn.example.com:5349?transport=tcp',
  STUN_URLS: 'stun:127.0.0.1:3478',
  TURN_TTL_SECONDS: '600',
};

/** Lost connections (grace, resume, kill -9), the call log and TURN credentials, on two api processes and the worker. */
describe('calls: connection loss, call log, ICE servers', () => {
  let api: TestApi;
  let other: ApiProcess;
  let worker: RunningProcess;
  const sockets = socketPool();
  const open = (url: string, user: SignedUpUser): Promise<Socket> => sockets.connect(url, user.accessToken);

  /** An answered call from `a` (on `aUrl`) to `b` (on `bUrl`). */
  async function activeCall(
    aUrl: string,
    bUrl: string,
  ): Promise<{ a: SignedUpUser; b: SignedUpUser; aSock: Socket; bSock: Socket; callId: string }> {
    const [a, b] = await connectedPair(api);
    const aSock = await open(aUrl, a);
    const bSock = await open(bUrl, b);
    const { callId } = await invite(aSock, b);
    okData(await emitWithAck(bSock, 'call:accept', { callId, sdp: sdp('answer') }));
    return { a, b, aSock, bSock, callId };
  }

  beforeAll(async () => {
    api = await startTestApi(ENV);
    worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info' });
    [other] = await Promise.all([startApiProcess(api.env), worker.waitFor(/worker ready/, 30_000)]);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await Promise.all([other?.stop('SIGKILL'), worker?.stop()]);
    await api?.close();
  });

  it('a reconnect within the grace resumes the call (on another process), with what the peer sent meanwhile', async () => {
    const { a, aSock, bSock, callId } = await activeCall(api.url, other.url);
    aSock.close();
    // Sent while a has no device: held for a's next socket.
    expect(okData(await emitWithAck(bSock, 'call:ice-candidate', { callId, candidates: [candidate(21)] }))).toEqual({ relayed: false });
    const aBack = await open(other.url, a);
    const resumed = okData<Json>(await emitWithAck(aBack, 'call:resume', { callId }));
    // The answer SDP too, had a's call:accepted been lost with the old socket.
    expect(resumed).toMatchObject({ callId, state: 'active', role: 'caller', kind: 'audio', remoteSdp: sdp('answer') });
    expect(resumed.candidates).toEqual([candidate(21)]);

    // Past the grace of the closed socket, the call goes on, and signaling reaches the new socket.
    expect(await noEvent(bSock, 'call:ended', (GRACE_SECONDS + 2) * 1000)).toBe(true);
    const relayed = nextEvent<Json>(aBack, 'call:ice-candidate');
    okData(await emitWithAck(bSock, 'call:ice-candidate', { callId, candidates: [candidate(22)] }));
    expect(await relayed).toEqual({ callId, candidates: [candidate(22)] });
    expect(errorCode(await emitWithAck(aBack, 'call:resume', { callId: '0123456789abcdef01234567' }))).toBe('call_not_found');
    okData(await emitWithAck(aBack, 'call:end', { callId }));
  });

  it('a callee device that connects while the call rings learns it from call:resume and can answer', async () => {
    const [a, b] = await connectedPair(api);
    const aSock = await open(api.url, a);
    const { callId, expiresAt } = await invite(aSock, b, 'video');
    const bLate = await open(other.url, b); // e.g. opened from the push notification, after call:incoming went out
    const view = okData<Json>(await emitWithAck(bLate, 'call:resume', { callId }));
    expect(view).toMatchObject({
      callId,
      state: 'ringing',
      role: 'callee',
      peerId: a.userId,
      kind: 'video',
      expiresAt,
      remoteSdp: sdp('offer'),
    });
    const accepted = nextEvent<Json>(aSock, 'call:accepted');
    okData(await emitWithAck(bLate, 'call:accept', { callId, sdp: sdp('answer') }));
    expect(await accepted).toEqual({ callId, sdp: sdp('answer') });
    okData(await emitWithAck(aSock, 'call:end', { callId }));
    // The SDPs (which can carry addresses) are not kept once the call is over.
    const doc = await api.connection.collection('calls').findOne({ _id: new ObjectId(callId) });
    expect(doc).toMatchObject({ state: 'ended', offerSdp: null, answerSdp: null });
  });

  it('a device gone for longer than the grace ends the call with connection_lost', async () => {
    const { a, b, aSock, bSock, callId } = await activeCall(api.url, other.url);
    const ended = nextEvent<Json>(aSock, 'call:ended', (GRACE_SECONDS + 10) * 1000);
    bSock.close();
    expect(await ended).toMatchObject({ callId, reason: 'connection_lost' });
    const bBack = await open(other.url, b);
    expect(errorCode(await emitWithAck(bBack, 'call:resume', { callId }))).toBe('call_ended');
    expect(await logEntry(api, a, callId)).toMatchObject({ outcome: 'answered', endReason: 'connection_lost' });
  });

  it('kill -9 of the api process holding a device ends its call within the grace', async () => {
    const doomed = await startApiProcess(api.env);
    try {
      const { a, bSock, callId } = await activeCall(doomed.url, api.url);
      const ended = nextEvent<Json>(bSock, 'call:ended', (GRACE_SECONDS + 2) * 1000);
      await doomed.stop('SIGKILL');
      expect(await ended).toMatchObject({ callId, reason: 'connection_lost' });
      expect(await logEntry(api, a, callId)).toMatchObject({ outcome: 'answered', endReason: 'connection_lost' });
      // The one-call locks are released: a can be called again.
      const aSock = await open(api.url, a);
      const rings = nextEvent<Json>(aSock, 'call:incoming');
      const again = await emitWithAck<Json>(bSock, 'call:invite', { peerId: a.userId, kind: 'audio', sdp: sdp('again') });
      expect(okData(again).callId).toEqual((await rings).callId);
    } finally {
      await doomed.stop('SIGKILL');
    }
  });

  it('GET /calls pages my calls newest first; DELETE /calls/:id hides one from my log only', async () => {
    const [a, b] = await connectedPair(api);
    const stranger = await signUp(api);
    const aSock = await open(api.url, a);
    const ids: string[] = [];
    for (const kind of ['audio', 'video', 'audio'] as const) {
      const { callId } = await invite(aSock, b, kind);
      okData(await emitWithAck(aSock, 'call:cancel', { callId }));
      ids.push(callId);
    }
    const first = await callLog(api, a, { limit: 2 });
    expect(first.items.map((i: Json) => i.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[1]).toEqual({
      id: ids[1],
      peerId: b.userId,
      direction: 'outgoing',
      kind: 'video',
      outcome: 'cancelled',
      endReason: 'cancelled',
      durationMs: 0,
      startedAt: expect.any(String),
      answeredAt: null,
      endedAt: expect.any(String),
    });
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await callLog(api, a, { limit: 2, cursor: first.nextCursor });
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    expect((await request(api.url).delete(`/calls/${ids[1]}`).set(auth(stranger))).status).toBe(404);
    expect((await request(api.url).delete(`/calls/${ids[1]}`).set(auth(a))).status).toBe(204);
    expect((await request(api.url).delete('/calls/not-an-id').set(auth(a))).status).toBe(400);
    expect((await callLog(api, a)).items.map((i: Json) => i.id)).toEqual([ids[2], ids[0]]);
    expect((await callLog(api, b)).items.map((i: Json) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await callLog(api, stranger)).items).toEqual([]);
    expect((await request(api.url).get('/calls').query({ cursor: 'bogus' }).set(auth(a))).body.code).toBe('invalid_cursor');
    expect((await request(api.url).get('/calls')).status).toBe(401);
  });

  it('GET /calls/ice-servers: STUN, and TURN credentials in the coturn REST scheme that verify with the same HMAC', async () => {
    const user = await signUp(api);
    const before = Math.floor(Date.now() / 1000);
    const res = await request(api.url).get('/calls/ice-servers').set(auth(user));
    expect(res.status).toBe(200);
    expectDocumented('/calls/ice-servers', 'get', 200, res.body);
    const { iceServers, ttl } = res.body as { iceServers: Json[]; ttl: number };
    expect(ttl).toBe(600);
    expect(iceServers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
    const turn = iceServers[1];
    expect(turn.urls).toEqual(['turn:127.0.0.1:3478?transport=udp', 'turns:turn.example.com:5349?transport=tcp']);
    const [expiry, opaque] = (turn.username as string).split(':');
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 600);
    expect(Number(expiry)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 600);
    expect(turn.credential).toBe(createHmac('sha1', TURN_SECRET).update(turn.username).digest('base64'));
    // No phone number, email or raw user id in what the TURN server (and its logs) see.
    expect(opaque).not.toContain(user.userId);
    expect(turn.username).not.toContain(user.identifier.split('@')[0]);
    expect((await request(api.url).get('/calls/ice-servers')).status).toBe(401);
  });

  it('documents the call routes in OpenAPI', async () => {
    const doc = (await request(api.url).get('/docs-json')).body as { paths: Record<string, Record<string, { responses: object }>> };
    for (const [path, method, statuses] of [
      ['/calls', 'get', [200, 400, 401]],
      ['/calls/ice-servers', 'get', [200, 401]],
      ['/calls/{id}', 'delete', [204, 400, 401, 404]],
    ] as const) {
      expect(Object.keys(doc.paths[path]?.[method]?.responses ?? {}).map(Number), `${method} ${path}`).toEqual(
        expect.arrayContaining([...statuses]),
      );
    }
  });
});
