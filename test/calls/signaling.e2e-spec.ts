import { ObjectId } from 'mongodb';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  connectUsers,
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
import { auth, candidate, connectedPair, errorCode, invite, type Json, logEntry, okData, sdp } from './call-fixtures.js';

const RING_TIMEOUT_SECONDS = 5;
const ENV = { CALL_RING_TIMEOUT_SECONDS: String(RING_TIMEOUT_SECONDS), CALL_INVITES_PER_MINUTE: '4', CALL_MAX_CANDIDATES_PER_EVENT: '5' };

/**
 * Call signaling on two api processes (the in-process `api` and a compiled `other`) and the real
 * worker (ring timeouts), one database and Redis. Callers mostly sit on one process and callees on the
 * other, so every relay crosses processes.
 */
describe('call signaling across api processes', () => {
  let api: TestApi;
  let other: ApiProcess;
  let worker: RunningProcess;
  const sockets = socketPool();
  const open = (url: string, user: SignedUpUser): Promise<Socket> => sockets.connect(url, user.accessToken);
  const callDoc = (callId: string): Promise<Json> => api.connection.collection('calls').findOne({ _id: new ObjectId(callId) });
  const liveBetween = (a: SignedUpUser, b: SignedUpUser): Promise<Json[]> =>
    api.connection
      .collection('calls')
      .find({ callerId: { $in: [a.userId, b.userId] }, calleeId: { $in: [a.userId, b.userId] }, state: { $ne: 'ended' } })
      .toArray();

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

  it('runs a full call: invite, held candidates, accept, answered elsewhere, relays in order, renegotiation, hangup, log', async () => {
    const [a, b] = await connectedPair(api);
    const aSock = await open(api.url, a);
    const bPhone = await open(other.url, b);
    const bTablet = await open(api.url, b);

    const ringPhone = nextEvent<Json>(bPhone, 'call:incoming');
    const ringTablet = nextEvent<Json>(bTablet, 'call:incoming');
    const { callId, expiresAt } = await invite(aSock, b, 'video');
    for (const ring of [await ringPhone, await ringTablet]) {
      expect(ring).toEqual({ callId, from: a.userId, kind: 'video', sdp: sdp('offer'), expiresAt });
    }

    // Candidates before the callee has a device are held, in order, and handed over on accept.
    expect(okData(await emitWithAck(aSock, 'call:ice-candidate', { callId, candidates: [candidate(1), candidate(2)] }))).toEqual({
      relayed: false,
    });
    expect(okData(await emitWithAck(aSock, 'call:ice-candidate', { callId, candidates: [candidate(3)] }))).toEqual({ relayed: false });

    const accepted = nextEvent<Json>(aSock, 'call:accepted');
    const elsewhere = nextEvent<Json>(bTablet, 'call:answered-elsewhere');
    const phoneHearsElsewhere = noEvent(bPhone, 'call:answered-elsewhere', 1500);
    const answer = okData<Json>(await emitWithAck(bPhone, 'call:accept', { callId, sdp: sdp('answer') }));
    expect(answer).toMatchObject({ callId, state: 'active', role: 'callee', peerId: a.userId, kind: 'video' });
    expect(answer.candidates).toEqual([candidate(1), candidate(2), candidate(3)]);
    expect(await accepted).toEqual({ callId, sdp: sdp('answer') });
    expect(await elsewhere).toEqual({ callId });
    expect(await phoneHearsElsewhere).toBe(true);

    // The other device's late accept is refused, and it may not signal in the call.
    expect(errorCode(await emitWithAck(bTablet, 'call:accept', { callId, sdp: sdp('late') }))).toBe('call_already_answered');
    expect(errorCode(await emitWithAck(bTablet, 'call:ice-candidate', { callId, candidates: [candidate(9)] }))).toBe('not_active_device');
    expect(errorCode(await emitWithAck(bTablet, 'call:end', { callId }))).toBe('not_active_device');

    // Callee -> caller, in order, the end-of-candidates marker last; only between the two active devices.
    const toCaller: Json[] = [];
    aSock.on('call:ice-candidate', (e: Json) => toCaller.push(e));
    const tabletHears = noEvent(bTablet, 'call:ice-candidate', 1500);
    for (const batch of [[candidate(11)], [candidate(12), candidate(13)], [{ candidate: '', sdpMid: '0', sdpMLineIndex: 0 }]]) {
      expect(okData(await emitWithAck(bPhone, 'call:ice-candidate', { callId, candidates: batch }))).toEqual({ relayed: true });
    }
    await expect.poll(() => toCaller.length, { timeout: 5000 }).toBe(3);
    expect(toCaller.flatMap((e) => e.candidates)).toEqual([
      candidate(11),
      candidate(12),
      candidate(13),
      { candidate: '', sdpMid: '0', sdpMLineIndex: 0 },
    ]);
    expect(toCaller.every((e) => e.callId === callId)).toBe(true);
    const toPhone = nextEvent<Json>(bPhone, 'call:ice-candidate');
    await emitWithAck(aSock, 'call:ice-candidate', { callId, candidates: [candidate(4)] });
    expect(await toPhone).toEqual({ callId, candidates: [candidate(4)] });
    expect(await tabletHears).toBe(true);

    // Mid-call renegotiation (audio -> video, camera switch), both ways.
    const offer = nextEvent<Json>(bPhone, 'call:negotiate');
    okData(await emitWithAck(aSock, 'call:negotiate', { callId, type: 'offer', sdp: sdp('reoffer') }));
    expect(await offer).toEqual({ callId, type: 'offer', sdp: sdp('reoffer') });
    const reanswer = nextEvent<Json>(aSock, 'call:negotiate');
    okData(await emitWithAck(bPhone, 'call:negotiate', { callId, type: 'answer', sdp: sdp('reanswer') }));
    expect(await reanswer).toEqual({ callId, type: 'answer', sdp: sdp('reanswer') });

    const endedA = nextEvent<Json>(aSock, 'call:ended');
    const endedTablet = nextEvent<Json>(bTablet, 'call:ended');
    const ack = okData<Json>(await emitWithAck(bPhone, 'call:end', { callId, reason: 'user_hangup' }));
    const ended = await endedA;
    expect(ended).toEqual({ callId, reason: 'user_hangup', durationMs: ack.durationMs });
    expect(await endedTablet).toEqual(ended);
    expect(ended.durationMs).toBeGreaterThan(0);
    expect(errorCode(await emitWithAck(aSock, 'call:ice-candidate', { callId, candidates: [candidate(5)] }))).toBe('call_ended');

    const doc = await callDoc(callId);
    expect(doc).toMatchObject({
      state: 'ended',
      outcome: 'answered',
      calleeSocketId: bPhone.id,
      callerSocketId: aSock.id,
      durationMs: ended.durationMs,
    });
    expect(await logEntry(api, a, callId)).toMatchObject({
      peerId: b.userId,
      direction: 'outgoing',
      kind: 'video',
      outcome: 'answered',
      endReason: 'user_hangup',
      durationMs: ended.durationMs,
    });
    expect(await logEntry(api, b, callId)).toMatchObject({
      peerId: a.userId,
      direction: 'incoming',
      outcome: 'answered',
      durationMs: ended.durationMs,
    });
    // A new call is possible once this one is over (the one-call locks were released).
    const again = await invite(aSock, b);
    okData(await emitWithAck(aSock, 'call:cancel', { callId: again.callId }));
  });

  it("posts each finished call into the pair's chat as a `call` message with its seq, the same on both sides", async () => {
    const [a, b] = await connectedPair(api);
    const aSock = await open(api.url, a);
    const bSock = await open(other.url, b);
    const answered = await invite(aSock, b, 'video');
    okData(await emitWithAck(bSock, 'call:accept', { callId: answered.callId, sdp: sdp('answer') }));
    // Live on the callee's device too, like any message (posted by the api process that ended the call).
    const live = nextEvent<Json>(bSock, 'chat:receive', 5000, (m) => m.type === 'call');
    const { durationMs } = okData<Json>(await emitWithAck(aSock, 'call:end', { callId: answered.callId }));
    expect((await live).call).toEqual({ callId: answered.callId, kind: 'video', outcome: 'answered', durationMs });
    const missedEvent = nextEvent(bSock, 'call:missed', (RING_TIMEOUT_SECONDS + 15) * 1000);
    const missed = await invite(aSock, b, 'audio');
    await missedEvent; // this one is posted by the worker's ring-timeout job

    const chat = await request(api.url).post('/chats').set(auth(a)).send({ peerId: b.userId });
    const callMessages = async (viewer: SignedUpUser): Promise<Json[]> => {
      const res = await request(api.url).get(`/chats/${chat.body.id}/messages`).set(auth(viewer));
      return (res.body.items as Json[]).filter((m) => m.type === 'call').map((m) => ({ seq: m.seq, senderId: m.senderId, call: m.call }));
    };
    await expect.poll(() => callMessages(a).then((m) => m.length), { timeout: 10_000 }).toBe(2);
    const seen = await callMessages(a);
    expect(seen).toEqual([
      { seq: expect.any(Number), senderId: a.userId, call: { callId: answered.callId, kind: 'video', outcome: 'answered', durationMs } },
      { seq: expect.any(Number), senderId: a.userId, call: { callId: missed.callId, kind: 'audio', outcome: 'missed', durationMs: 0 } },
    ]);
    expect(seen[1].seq).toBeGreaterThan(seen[0].seq);
    expect(await callMessages(b)).toEqual(seen);
  });

  it('reject stops the ringing on every callee device and tells the caller', async () => {
    const [a, b] = await connectedPair(api);
    const aSock = await open(api.url, a);
    const bPhone = await open(other.url, b);
    const bTablet = await open(api.url, b);
    const { callId } = await invite(aSock, b);
    const rejected = nextEvent<Json>(aSock, 'call:rejected');
    const tabletStops = nextEvent<Json>(bTablet, 'call:rejected');
    expect(errorCode(await emitWithAck(aSock, 'call:reject', { callId }))).toBe('not_callee');
    okData(await emitWithAck(bPhone, 'call:reject', { callId, reason: 'user_busy' }));
    expect(await rejected).toEqual({ callId, reason: 'user_busy' });
    expect(await tabletStops).toEqual({ callId, reason: 'user_busy' });
    expect(errorCode(await emitWithAck(bTablet, 'call:accept', { callId, sdp: sdp('late') }))).toBe('call_not_ringing');
    expect(await logEntry(api, a, callId)).toMatchObject({ outcome: 'rejected', direction: 'outgoing', durationMs: 0 });
    expect(await logEntry(api, b, callId)).toMatchObject({ outcome: 'rejected', direction: 'incoming' });
  });

  it('cancel by the caller while ringing stops the callee devices; the call is logged as cancelled', async () => {
    const [a, b] = await connectedPair(api);
    const aSock = await open(api.url, a);
    const bSock = await open(other.url, b);
    const { callId } = await invite(aSock, b);
    expect(errorCode(await emitWithAck(bSock, 'call:cancel', { callId }))).toBe('not_caller');
    const cancelled = nextEvent<Json>(bSock, 'call:cancelled');
    okData(await emitWithAck(aSock, 'call:cancel', { callId }));
    expect(await cancelled).toEqual({ callId });
    expect(errorCode(await emitWithAck(bSock, 'call:accept', { callId, sdp: sdp('late') }))).toBe('call_not_ringing');
    expect(await logEntry(api, b, callId)).toMatchObject({ outcome: 'cancelled', direction: 'incoming' });
    expect((await callDoc(callId)).state).toBe('ended');
  });

  it('a callee already in a call is busy: the caller gets call:busy, the call is logged as busy', async () => {
    const [a, b] = await connectedPair(api);
    const c = await signUp(api);
    await connectUsers(api, c, b);
    const aSock = await open(api.url, a);
    const bSock = await open(other.url, b);
    const cSock = await open(other.url, c);
    const first = await invite(aSock, b);
    okData(await emitWithAck(bSock, 'call:accept', { callId: first.callId, sdp: sdp('answer') }));

    const bRings = noEvent(bSock, 'call:incoming', 1500);
    const busy = nextEvent<Json>(cSock, 'call:busy');
    const second = await invite(cSock, b);
    expect(await busy).toEqual({ callId: second.callId });
    expect(await bRings).toBe(true);
    expect(await logEntry(api, c, second.callId)).toMatchObject({ outcome: 'busy', direction: 'outgoing', peerId: b.userId });
    expect(await logEntry(api, b, second.callId)).toMatchObject({ outcome: 'busy', direction: 'incoming' });
    // The call in progress is untouched, and a caller in a call cannot start another.
    expect((await callDoc(first.callId)).state).toBe('active');
    expect(errorCode(await emitWithAck(bSock, 'call:invite', { peerId: c.userId, kind: 'audio', sdp: sdp('x') }))).toBe('already_in_call');
  });

  /** A connected pair ordered by user id: `lo` wins glare against `hi`. */
  async function orderedPair(): Promise<{ lo: SignedUpUser; hi: SignedUpUser }> {
    const [a, b] = await connectedPair(api);
    return a.userId < b.userId ? { lo: a, hi: b } : { lo: b, hi: a };
  }

  it('glare: the smaller user id calling back wins; the ringing call ends for both (glare) and the new one rings', async () => {
    const { lo, hi } = await orderedPair();
    const hiSock = await open(api.url, hi);
    const loSock = await open(other.url, lo);
    const ringsLo = nextEvent(loSock, 'call:incoming');
    const first = await invite(hiSock, lo);
    await ringsLo;
    const replacedForHi = nextEvent<Json>(hiSock, 'call:ended');
    const replacedForLo = nextEvent<Json>(loSock, 'call:ended');
    const rings = nextEvent<Json>(hiSock, 'call:incoming');
    const second = await invite(loSock, hi);
    expect(await replacedForHi).toEqual({ callId: first.callId, reason: 'glare', durationMs: 0 });
    expect(await replacedForLo).toEqual({ callId: first.callId, reason: 'glare', durationMs: 0 });
    expect(await rings).toMatchObject({ callId: second.callId, from: lo.userId });
    expect((await liveBetween(lo, hi)).map((c) => String(c._id))).toEqual([second.callId]);
    // The replaced call is not one anyone made: not in either log.
    expect(await logEntry(api, hi, first.callId)).toBeUndefined();
    okData(await emitWithAck(hiSock, 'call:accept', { callId: second.callId, sdp: sdp('answer') }));
  });

  it('glare: the larger user id calling back is refused with call_glare naming the call to answer', async () => {
    const { lo, hi } = await orderedPair();
    const loSock = await open(api.url, lo);
    const hiSock = await open(other.url, hi);
    const ringsHi = nextEvent(hiSock, 'call:incoming');
    const first = await invite(loSock, hi);
    await ringsHi;
    const loHearsEnd = noEvent(loSock, 'call:ended', 1000);
    const ack = await emitWithAck(hiSock, 'call:invite', { peerId: lo.userId, kind: 'audio', sdp: sdp('hi-offer') });
    expect(errorCode(ack)).toBe('call_glare');
    expect(!ack.ok && ack.error.message).toContain(first.callId);
    expect(await loHearsEnd).toBe(true);
    expect((await liveBetween(lo, hi)).map((c) => String(c._id))).toEqual([first.callId]);
    okData(await emitWithAck(hiSock, 'call:accept', { callId: first.callId, sdp: sdp('answer') }));
  });

  it('glare: simultaneous invites on two processes leave exactly one call between the pair', async () => {
    const [a, b] = await connectedPair(api);
    const aSock = await open(api.url, a);
    const bSock = await open(other.url, b);
    const [ackA, ackB] = await Promise.all([
      emitWithAck<Json>(aSock, 'call:invite', { peerId: b.userId, kind: 'audio', sdp: sdp('a') }),
      emitWithAck<Json>(bSock, 'call:invite', { peerId: a.userId, kind: 'audio', sdp: sdp('b') }),
    ]);
    const live = await liveBetween(a, b);
    expect(live).toHaveLength(1);
    const winner = a.userId < b.userId ? a : b;
    expect(live[0].callerId).toBe(winner.userId);
    const winnerAck = winner === a ? ackA : ackB;
    expect(winnerAck.ok && winnerAck.data.callId).toBe(String(live[0]._id));
  });

  it('rings out after CALL_RING_TIMEOUT_SECONDS: missed on both sides (worker job), a late accept is refused', async () => {
    const [a, b] = await connectedPair(api);
    const aSock = await open(api.url, a);
    const bSock = await open(other.url, b);
    const { callId } = await invite(aSock, b);
    const timeoutMs = (RING_TIMEOUT_SECONDS + 15) * 1000;
    const [toA, toB] = await Promise.all([
      nextEvent<Json>(aSock, 'call:missed', timeoutMs),
      nextEvent<Json>(bSock, 'call:missed', timeoutMs),
    ]);
    expect(toA).toEqual({ callId });
    expect(toB).toEqual({ callId });
    expect(errorCode(await emitWithAck(bSock, 'call:accept', { callId, sdp: sdp('late') }))).toBe('call_not_ringing');
    expect(await callDoc(callId)).toMatchObject({ state: 'ended', outcome: 'missed', endReason: 'timeout' });
    expect(await logEntry(api, b, callId)).toMatchObject({ outcome: 'missed', direction: 'incoming', durationMs: 0 });
  });

  it('an answered call is not missed: the ring-timeout job is a no-op', async () => {
    const [a, b] = await connectedPair(api);
    const aSock = await open(api.url, a);
    const bSock = await open(other.url, b);
    const { callId } = await invite(aSock, b);
    okData(await emitWithAck(bSock, 'call:accept', { callId, sdp: sdp('answer') }));
    expect(await noEvent(aSock, 'call:missed', (RING_TIMEOUT_SECONDS + 3) * 1000)).toBe(true);
    expect((await callDoc(callId)).state).toBe('active');
    okData(await emitWithAck(aSock, 'call:end', { callId }));
  });

  it('strangers and blocked users cannot invite, inject candidates, renegotiate or end; a block ends the call', async () => {
    const [a, b] = await connectedPair(api);
    const stranger = await signUp(api);
    const aSock = await open(api.url, a);
    const bSock = await open(other.url, b);
    const sSock = await open(other.url, stranger);
    expect(errorCode(await emitWithAck(sSock, 'call:invite', { peerId: a.userId, kind: 'audio', sdp: sdp('s') }))).toBe('not_connected');

    const { callId } = await invite(aSock, b);
    okData(await emitWithAck(bSock, 'call:accept', { callId, sdp: sdp('answer') }));
    const bHearsStranger = noEvent(bSock, 'call:ice-candidate', 1500);
    for (const [event, payload] of [
      ['call:ice-candidate', { callId, candidates: [candidate(66)] }],
      ['call:negotiate', { callId, type: 'offer', sdp: sdp('evil') }],
      ['call:end', { callId }],
      ['call:accept', { callId, sdp: sdp('evil') }],
      ['call:resume', { callId }],
    ] as const) {
      expect(errorCode(await emitWithAck(sSock, event, payload))).toBe('call_not_found');
    }
    expect(await bHearsStranger).toBe(true);
    expect((await callDoc(callId)).state).toBe('active');

    // b blocks a: the call ends, and a can neither signal in it nor call b again (nor b call a).
    const endedA = nextEvent<Json>(aSock, 'call:ended');
    const blocked = await request(api.url).post(`/blocks/${a.userId}`).set(auth(b));
    expect(blocked.status).toBe(201);
    expect(await endedA).toMatchObject({ callId, reason: 'not_connected' });
    expect(errorCode(await emitWithAck(aSock, 'call:ice-candidate', { callId, candidates: [candidate(7)] }))).toBe('call_ended');
    expect(errorCode(await emitWithAck(aSock, 'call:invite', { peerId: b.userId, kind: 'audio', sdp: sdp('a') }))).toBe('not_connected');
    expect(errorCode(await emitWithAck(bSock, 'call:invite', { peerId: a.userId, kind: 'audio', sdp: sdp('b') }))).toBe('not_connected');
  });

  it('caps payloads and rate limits invites with clear codes', async () => {
    const [a, b] = await connectedPair(api);
    const aSock = await open(api.url, a);
    const big = 'a=x\r\n'.repeat(4000); // 20 kB > CALL_MAX_SDP_BYTES (16 kB)
    expect(errorCode(await emitWithAck(aSock, 'call:invite', { peerId: b.userId, kind: 'audio', sdp: big }))).toBe('sdp_too_large');
    expect(errorCode(await emitWithAck(aSock, 'call:invite', { peerId: b.userId, kind: 'hologram', sdp: sdp('x') }))).toBe(
      'validation_failed',
    );
    expect(errorCode(await emitWithAck(aSock, 'call:invite', { peerId: a.userId, kind: 'audio', sdp: sdp('x') }))).toBe('invalid_peer');
    const { callId } = await invite(aSock, b);
    const six = [1, 2, 3, 4, 5, 6].map(candidate);
    expect(errorCode(await emitWithAck(aSock, 'call:ice-candidate', { callId, candidates: six }))).toBe('too_many_candidates');
    expect(errorCode(await emitWithAck(aSock, 'call:ice-candidate', { callId, candidates: [{ candidate: 'x', $where: '1' }] }))).toBe(
      'validation_failed',
    );
    okData(await emitWithAck(aSock, 'call:cancel', { callId }));

    // CALL_INVITES_PER_MINUTE=4 in this suite: the invite above was the first (refused payloads are not counted).
    let last: Json = null;
    for (let i = 0; i < 4; i += 1) {
      last = await emitWithAck<Json>(aSock, 'call:invite', { peerId: b.userId, kind: 'audio', sdp: sdp(`r${i}`) });
      if (last.ok) okData(await emitWithAck(aSock, 'call:cancel', { callId: last.data.callId }));
    }
    expect(errorCode(last)).toBe('rate_limited');
    expect(last.error.retryAfterSeconds).toBeGreaterThan(0);
  });
});
