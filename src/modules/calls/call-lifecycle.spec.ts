import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { ChatPoster, DomainEventBus, PostMessageInput } from '@app/common';
import type { RealtimeEmitter } from '@app/realtime';
import { CallLifecycle } from './call-lifecycle.js';
import type { CallStore } from './call-store.js';
import type { CallsRepository } from './calls.repository.js';
import type { CallRecord } from './schemas/call.schema.js';

const callerId = '665f1c2b9a1e4d3f2a1b0c9d';
const calleeId = '665f1c2b9a1e4d3f2a1b0c9e';

function ringing(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    _id: new Types.ObjectId(),
    callerId,
    calleeId,
    kind: 'audio',
    state: 'ringing',
    outcome: null,
    endReason: null,
    callerSocketId: 's1',
    calleeSocketId: null,
    offerSdp: 'v=0',
    answerSdp: null,
    expiresAt: new Date(),
    answeredAt: null,
    endedAt: null,
    durationMs: 0,
    hiddenFor: {},
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  };
}

/** The lifecycle with its repository, store, emitter and chat replaced by recorders. */
function setup(options: { wins: boolean }) {
  const emitted: Array<[string, unknown]> = [];
  const posts: Array<{ sender: string; peer: string; input: PostMessageInput }> = [];
  const domain: string[] = [];
  const released: string[] = [];
  const repo = {
    findById: (id: string) => Promise.resolve(calls.get(id) ?? null),
    transition: (id: string, _from: unknown, _where: unknown, set: Partial<CallRecord>) =>
      Promise.resolve(options.wins ? { ...calls.get(id)!, ...set } : null),
  } as unknown as CallsRepository;
  const store = { release: (id: string) => (released.push(id), Promise.resolve()), clear: () => Promise.resolve() } as unknown as CallStore;
  const record = (event: string, payload: unknown): void => void emitted.push([event, payload]);
  const emitter = {
    toUsers: (_u: string[], e: string, p: unknown) => record(e, p),
    toUser: (_u: string, e: string, p: unknown) => record(e, p),
  };
  const chat = {
    post: (sender: string, peer: string, input: PostMessageInput) => (posts.push({ sender, peer, input }), Promise.resolve()),
  };
  const events = { emit: (name: string) => domain.push(name) };
  const calls = new Map<string, CallRecord>();
  const lifecycle = new CallLifecycle(
    repo,
    store,
    emitter as unknown as RealtimeEmitter,
    events as unknown as DomainEventBus,
    chat as unknown as ChatPoster,
  );
  return { lifecycle, calls, emitted, posts, domain, released };
}

describe('CallLifecycle', () => {
  it('a ring timeout makes a ringing call missed: both told, call.missed emitted, one idempotent chat message from the caller', async () => {
    const t = setup({ wins: true });
    const call = ringing();
    t.calls.set(call._id.toHexString(), call);
    await t.lifecycle.ringTimeout(call._id.toHexString());
    expect(t.emitted).toEqual([['call:missed', { callId: call._id.toHexString() }]]);
    expect(t.domain).toEqual(['call.missed']);
    expect(t.released).toEqual([call._id.toHexString()]);
    expect(t.posts).toEqual([
      {
        sender: callerId,
        peer: calleeId,
        input: {
          clientMessageId: `call-${call._id.toHexString()}`,
          type: 'call',
          call: { callId: call._id.toHexString(), kind: 'audio', outcome: 'missed', durationMs: 0 },
        },
      },
    ]);
  });

  it('an answered call ends with its duration from the answer', async () => {
    const t = setup({ wins: true });
    const call = ringing({ state: 'active', answeredAt: new Date(Date.now() - 5000), calleeSocketId: 's2' });
    t.calls.set(call._id.toHexString(), call);
    const ended = await t.lifecycle.finish(call, 'answered', 'user_hangup');
    expect(ended?.durationMs).toBeGreaterThanOrEqual(5000);
    expect(t.emitted).toEqual([['call:ended', { callId: call._id.toHexString(), reason: 'user_hangup', durationMs: ended?.durationMs }]]);
    expect(t.posts[0].input.call).toMatchObject({ outcome: 'answered', durationMs: ended?.durationMs });
  });

  it('a transition that lost the race tells no one and posts nothing (the winner does)', async () => {
    const t = setup({ wins: false });
    const call = ringing();
    t.calls.set(call._id.toHexString(), call);
    expect(await t.lifecycle.finish(call, 'rejected', 'rejected')).toBeNull();
    await t.lifecycle.ringTimeout(call._id.toHexString());
    expect([t.emitted, t.posts, t.domain, t.released]).toEqual([[], [], [], []]);
  });

  it('the ring timeout is a no-op once the call was answered, and the connection check once the device resumed', async () => {
    const t = setup({ wins: true });
    const answered = ringing({ state: 'active', calleeSocketId: 's2', answeredAt: new Date() });
    t.calls.set(answered._id.toHexString(), answered);
    await t.lifecycle.ringTimeout(answered._id.toHexString());
    await t.lifecycle.connectionCheck(answered._id.toHexString(), 'callee', 'an-older-socket');
    expect([t.emitted, t.posts]).toEqual([[], []]);
    await t.lifecycle.connectionCheck(answered._id.toHexString(), 'callee', 's2');
    expect(t.emitted).toEqual([['call:ended', expect.objectContaining({ reason: 'connection_lost' })]]);
  });
});
