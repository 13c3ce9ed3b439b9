import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emitWithAck, nextEvent, socketPool } from '@test/support';
import { jobId } from '../../src/modules/notifications/notifications.jobs.js';
import { connectedPair } from '../chat/chat-fixtures.js';
import { auth, eventJobId, type NotificationsStack, registerWebDevice, startStack } from './stack.js';

const RING_SECONDS = 5;
const sdp = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n`;

/** Missed calls and status replies, each produced by the real action (a call that rings out, a reply). */
describe('missed calls and status replies (real worker)', () => {
  let stack: NotificationsStack;
  const sockets = socketPool();
  beforeAll(async () => {
    stack = await startStack({ CALL_RING_TIMEOUT_SECONDS: String(RING_SECONDS) });
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  const kindOf = (p: { body: Record<string, unknown> }): string => (p.body.data as { kind: string }).kind;

  async function invite(from: { accessToken: string }, to: { userId: string }, kind: 'audio' | 'video'): Promise<string> {
    const socket = await sockets.connect(stack.api.url, from.accessToken);
    const ack = await emitWithAck<{ callId: string }>(socket, 'call:invite', { peerId: to.userId, kind, sdp });
    if (!ack.ok) throw new Error(`call:invite refused: ${JSON.stringify(ack.error)}`);
    return ack.data.callId;
  }

  it('a call that rings out for an offline callee: an incoming-call push, then a missed call in the feed and pushed', async () => {
    const { a: caller, b: callee } = await connectedPair(stack.api);
    const { subId } = await registerWebDevice(stack, callee);
    const callId = await invite(caller, callee, 'video');
    // Ringing with no connected device: pushed at once (web: urgency high, expiring with the ring).
    const incoming = await stack.result<{ notificationId: string; pushes: number }>(eventJobId(`call.incoming:${callId}`));
    expect(incoming.pushes).toBe(1);
    // The ring timeout runs in the worker, which emits call.missed there.
    const missed = await stack.result<{ notificationId: string; pushes: number }>(
      eventJobId(`call.missed:${callId}`),
      (RING_SECONDS + 20) * 1000,
    );
    expect(missed.pushes).toBe(1);
    await stack.result(jobId('push', missed.notificationId, (await devices(callee))[0]));
    const pushes = stack.receiver.pushesTo(subId);
    const ring = pushes.find((p) => kindOf(p) === 'call.incoming')!;
    expect(ring.headers.urgency).toBe('high');
    expect(Number(ring.headers.ttl)).toBeLessThanOrEqual(RING_SECONDS);
    expect(ring.body).toMatchObject({ title: 'Incoming video call', data: { callKind: 'video', actorId: caller.userId } });
    expect(pushes.find((p) => kindOf(p) === 'call.missed')?.body).toMatchObject({ title: 'Missed video call', tag: `call-${callId}` });
    const feed = await request(stack.api.url)
      .get('/notifications')
      .set(...auth(callee));
    const kinds = feed.body.items.map((n: { kind: string }) => n.kind);
    expect(kinds).toContain('call.missed');
    expect(kinds).not.toContain('call.incoming');
    expect(feed.body.items.find((n: { kind: string }) => n.kind === 'call.missed')).toMatchObject({
      actorId: caller.userId,
      subject: { type: 'call', id: callId },
      data: { callKind: 'video' },
    });
  });

  it('an online callee rings on its socket: no push; the missed call arrives as notification:new', async () => {
    const { a: caller, b: callee } = await connectedPair(stack.api);
    const { subId } = await registerWebDevice(stack, callee);
    const socket = await sockets.connect(stack.api.url, callee.accessToken);
    const arrived = nextEvent<{ notification: { kind: string; subject: { id: string } } }>(
      socket,
      'notification:new',
      (RING_SECONDS + 20) * 1000,
      (p) => p.notification.kind === 'call.missed',
    );
    const callId = await invite(caller, callee, 'audio');
    expect((await arrived).notification.subject.id).toBe(callId);
    expect(await stack.result(eventJobId(`call.missed:${callId}`))).toMatchObject({ pushes: 0, reason: 'online' });
    expect(await stack.queue.getJob(eventJobId(`call.incoming:${callId}`))).toBeUndefined();
    expect(stack.receiver.pushesTo(subId).filter((p) => kindOf(p).startsWith('call.'))).toEqual([]);
  });

  it('a reply to a status is in the feed and its push collapses with the chat it landed in', async () => {
    const { a: author, b: replier, chatId } = await connectedPair(stack.api);
    const { subId } = await registerWebDevice(stack, author);
    const status = await request(stack.api.url)
      .post('/statuses')
      .set(...auth(author))
      .send({ kind: 'text', text: 'sunset', background: '#25D366', font: 'serif' });
    expect(status.status).toBe(201);
    const reply = await request(stack.api.url)
      .post(`/statuses/${status.body.id}/reply`)
      .set(...auth(replier))
      .send({ clientMessageId: `r-${randomBytes(4).toString('hex')}`, text: 'nice view' });
    expect(reply.status).toBe(201);
    const messageId = reply.body.messageId as string;
    expect(await stack.result(eventJobId(`status.replied:${messageId}`))).toMatchObject({ pushes: 1 });
    await stack.receiver.waitFor(() => stack.receiver.pushesTo(subId).some((p) => kindOf(p) === 'status.replied'));
    const push = stack.receiver.pushesTo(subId).find((p) => kindOf(p) === 'status.replied')!;
    expect(push.headers.topic).toBe(`chat-${chatId}`);
    expect(push.body).toMatchObject({ title: 'Reply to your status', body: 'nice view' });
    const feed = await request(stack.api.url)
      .get('/notifications')
      .set(...auth(author));
    expect(feed.body.items[0]).toMatchObject({
      kind: 'status.replied',
      actorId: replier.userId,
      subject: { type: 'status', id: status.body.id },
      data: { replyKind: 'reply', text: 'nice view', chatId, messageId },
    });
  });

  async function devices(user: { accessToken: string }): Promise<string[]> {
    const res = await request(stack.api.url)
      .get('/push/devices')
      .set(...auth(user));
    return res.body.items.map((d: { id: string }) => d.id);
  }
});
