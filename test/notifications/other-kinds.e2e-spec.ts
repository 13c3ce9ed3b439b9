import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DomainEventBus, type DomainEvents } from '@app/common';
import { nextEvent, signUp, socketPool } from '@app/testing';
import { jobId } from '../../src/modules/notifications/notifications.jobs.js';
import { connectedPair } from '../chat/chat-fixtures.js';
import { auth, eventJobId, type NotificationsStack, registerWebDevice, startStack } from './stack.js';

/**
 * Missed calls and status replies. Until the calls and status modules land on main, each event is
 * emitted exactly as its producer declares it (libs/common DomainEvents); after the merge these tests
 * switch to the real action (a call that rings out, a reply to a status).
 */
describe('missed calls and status replies (real worker)', () => {
  let stack: NotificationsStack;
  const sockets = socketPool();
  beforeAll(async () => {
    stack = await startStack();
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  const emit = <E extends 'call.missed' | 'status.replied'>(name: E, payload: DomainEvents[E]) =>
    stack.api.app.get(DomainEventBus).emitAsync(name, payload);

  it('a missed call is in the feed and pushed to an offline callee; an online callee gets notification:new and no push', async () => {
    const [caller, callee] = await Promise.all([signUp(stack.api), signUp(stack.api)]);
    const { deviceId, subId } = await registerWebDevice(stack, callee);
    const callId = randomBytes(12).toString('hex');
    await emit('call.missed', { callId, callerId: caller.userId, calleeId: callee.userId, kind: 'video', at: new Date().toISOString() });
    const done = await stack.result<{ notificationId: string; pushes: number }>(eventJobId(`call.missed:${callId}`));
    expect(done.pushes).toBe(1);
    expect(await stack.result(jobId('push', done.notificationId, deviceId))).toEqual({ outcome: 'delivered' });
    const [push] = stack.receiver.pushesTo(subId);
    expect(push.body).toMatchObject({
      title: 'Missed video call',
      tag: `call-${callId}`,
      data: { kind: 'call.missed', actorId: caller.userId },
    });
    const feed = await request(stack.api.url)
      .get('/notifications')
      .set(...auth(callee));
    expect(feed.body.items).toEqual([
      expect.objectContaining({
        kind: 'call.missed',
        actorId: caller.userId,
        subject: { type: 'call', id: callId },
        data: { callKind: 'video' },
      }),
    ]);

    const socket = await sockets.connect(stack.api.url, callee.accessToken);
    const arrived = nextEvent<{ notification: { kind: string } }>(socket, 'notification:new', 15_000);
    const second = randomBytes(12).toString('hex');
    await emit('call.missed', {
      callId: second,
      callerId: caller.userId,
      calleeId: callee.userId,
      kind: 'audio',
      at: new Date().toISOString(),
    });
    expect((await arrived).notification).toMatchObject({ kind: 'call.missed', data: { callKind: 'audio' } });
    expect(await stack.result(eventJobId(`call.missed:${second}`))).toMatchObject({ pushes: 0, reason: 'online' });
    expect(stack.receiver.pushesTo(subId)).toHaveLength(1);
  });

  it('a status reply is in the feed and its push collapses with the chat it landed in', async () => {
    const { a: author, b: replier, chatId } = await connectedPair(stack.api);
    const { subId } = await registerWebDevice(stack, author);
    const statusId = randomBytes(12).toString('hex');
    const messageId = randomBytes(12).toString('hex');
    await emit('status.replied', {
      statusId,
      authorId: author.userId,
      replierId: replier.userId,
      chatId,
      messageId,
      kind: 'reply',
      text: 'nice view',
    });
    expect(await stack.result(eventJobId(`status.replied:${messageId}`))).toMatchObject({ pushes: 1 });
    await stack.receiver.waitFor(() =>
      stack.receiver.pushesTo(subId).some((p) => (p.body.data as { kind: string }).kind === 'status.replied'),
    );
    const push = stack.receiver.pushesTo(subId).find((p) => (p.body.data as { kind: string }).kind === 'status.replied')!;
    expect(push.headers.topic).toBe(`chat-${chatId}`);
    expect(push.body).toMatchObject({ title: 'Reply to your status', body: 'nice view' });
    const feed = await request(stack.api.url)
      .get('/notifications')
      .set(...auth(author));
    expect(feed.body.items[0]).toMatchObject({
      kind: 'status.replied',
      actorId: replier.userId,
      subject: { type: 'status', id: statusId },
      data: { replyKind: 'reply', text: 'nice view', chatId, messageId },
    });
  });
});
