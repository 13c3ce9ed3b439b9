import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser, socketPool } from '@test/support';
import { jobId } from '../../src/modules/notifications/notifications.jobs.js';
import { connectedPair, sendRest } from '../chat/chat-fixtures.js';
import { auth, eventJobId, type NotificationsStack, registerWebDevice, startStack } from './stack.js';

describe('chat message pushes to an offline user (real worker)', () => {
  let stack: NotificationsStack;
  const sockets = socketPool();
  beforeAll(async () => {
    stack = await startStack();
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  /** A real message over REST: the chat module emits message.created once it is stored. */
  async function send(from: SignedUpUser, _to: SignedUpUser, chatId: string, text: string): Promise<{ id: string }> {
    const m = await sendRest(stack.api, from, chatId, text);
    return { id: m.id };
  }

  /** Pushes of chat messages only (the connection made in the fixture may push its own "accepted"). */
  const messagePushes = (subId: string) =>
    stack.receiver.pushesTo(subId).filter((p) => (p.body.data as { kind?: string }).kind === 'message');

  async function stored(messageId: string): Promise<string> {
    return (await stack.result<{ notificationId: string }>(eventJobId(`message:${messageId}`))).notificationId;
  }

  async function idle(): Promise<void> {
    await expect
      .poll(
        async () => Object.values(await stack.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized')).reduce((a, b) => a + b, 0),
        {
          timeout: 20_000,
          interval: 50,
        },
      )
      .toBe(0);
  }

  it('three messages collapse into one push per chat with the latest text, the count and the badge of unmuted chats', async () => {
    const { a, b, chatId } = await connectedPair(stack.api);
    const { subId } = await registerWebDevice(stack, b);
    // A second chat of b's, muted: its unread messages stay out of the badge and are not pushed.
    const c = await signUp(stack.api);
    const muted = await connectedPairWith(c, b);
    const mute = await request(stack.api.url)
      .put(`/chats/${muted}/mute`)
      .set(...auth(b))
      .send({ forever: true });
    expect(mute.body).toEqual({ chatId: muted, muted: true, mutedUntil: null, forever: true });
    const m0 = await send(c, b, muted, 'from a muted chat');
    const mutedDigest = jobId('digest', await stored(m0.id));
    expect(await stack.result(mutedDigest)).toEqual({ pushes: 0, reason: 'muted' });

    const m1 = await send(a, b, chatId, 'one');
    await send(a, b, chatId, 'two');
    await send(a, b, chatId, 'three');
    const digest = jobId('digest', await stored(m1.id));
    expect(await stack.result(digest)).toEqual({ pushes: 1 });
    await idle();
    const pushes = messagePushes(subId);
    expect(pushes).toHaveLength(1);
    expect(pushes[0].headers).toMatchObject({ topic: `chat-${chatId}`, urgency: 'high' });
    expect(pushes[0].body).toMatchObject({
      title: '3 new messages',
      body: 'three',
      tag: `chat-${chatId}`,
      badge: 3,
      data: { kind: 'message', chatId, count: '3', actorId: a.userId },
    });
    // The muted chat still counts unread where the user reads it.
    const chats = await request(stack.api.url)
      .get('/chats')
      .set(...auth(b));
    const mutedChat = chats.body.items.find((x: { id: string }) => x.id === muted);
    expect(mutedChat).toMatchObject({ muted: true, unreadCount: 1 });
    // Messages are pushed, not listed in the in-app feed.
    const feed = await request(stack.api.url)
      .get('/notifications')
      .set(...auth(b));
    expect(feed.body.items.map((n: { kind: string }) => n.kind)).toEqual(['connection.accepted', 'connection.accepted']);
  });

  it('a recipient with a connected device gets no message notification at all (not even a job); an offline one is pushed', async () => {
    const { a, b, chatId } = await connectedPair(stack.api);
    const { subId } = await registerWebDevice(stack, b);
    const offline = await signUp(stack.api);
    const offlineChat = await connectedPairWith(a, offline);
    const { subId: offlineSub } = await registerWebDevice(stack, offline);
    await sockets.connect(stack.api.url, b.accessToken);
    await expect.poll(() => isConnected(b.userId), { timeout: 5000 }).toBe(true);
    const m = await send(a, b, chatId, 'you are online');
    const o = await send(a, offline, offlineChat, 'you are not');
    // The offline recipient's job was enqueued by the same listener at the same time and has run to
    // its push by now: had the online one's been enqueued, it would be there too.
    expect(await stack.result(jobId('digest', await stored(o.id)))).toEqual({ pushes: 1 });
    await expect.poll(() => messagePushes(offlineSub).length, { timeout: 5000 }).toBe(1);
    expect(await stack.queue.getJob(eventJobId(`message:${m.id}`))).toBeUndefined();
    await idle();
    expect(messagePushes(subId)).toEqual([]);
  });

  it('previews off push "New message" without the text; mute all and quiet hours push nothing', async () => {
    const { a, b, chatId } = await connectedPair(stack.api);
    const { subId } = await registerWebDevice(stack, b);
    const prefs = (body: object) =>
      request(stack.api.url)
        .patch('/notifications/preferences')
        .set(...auth(b))
        .send(body);
    expect((await prefs({ previews: false })).body).toEqual({ muteAllChats: false, previews: false, quietHours: null });
    const m1 = await send(a, b, chatId, 'secret text');
    expect(await stack.result(jobId('digest', await stored(m1.id)))).toEqual({ pushes: 1 });
    await idle();
    expect(messagePushes(subId).map((p) => p.body)).toEqual([expect.objectContaining({ title: 'New message', body: 'New message' })]);
    expect(JSON.stringify(messagePushes(subId))).not.toContain('secret text');

    await prefs({ muteAllChats: true });
    const m2 = await send(a, b, chatId, 'muted by mute all');
    expect(await stack.result(jobId('digest', await stored(m2.id)))).toEqual({ pushes: 0, reason: 'muted' });

    const now = new Date();
    const hhmm = (d: Date): string => d.toISOString().slice(11, 16);
    const quietHours = {
      start: hhmm(new Date(now.getTime() - 3_600_000)),
      end: hhmm(new Date(now.getTime() + 3_600_000)),
      timeZone: 'UTC',
    };
    expect((await prefs({ muteAllChats: false, quietHours })).body).toMatchObject({ muteAllChats: false, quietHours });
    const m3 = await send(a, b, chatId, 'during quiet hours');
    expect(await stack.result(jobId('digest', await stored(m3.id)))).toEqual({ pushes: 0, reason: 'quiet hours' });
    await idle();
    expect(messagePushes(subId)).toHaveLength(1);

    expect((await prefs({ quietHours: { start: '25:00', end: '07:00', timeZone: 'Mars/Olympus' } })).status).toBe(400);
    expect((await prefs({ quietHours: null })).body).toMatchObject({ quietHours: null });
  });

  it('PUT/DELETE /chats/:id/mute: until a time or forever, participants only', async () => {
    const { a, b, chatId } = await connectedPair(stack.api);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const put = (user: SignedUpUser, body: object) =>
      request(stack.api.url)
        .put(`/chats/${chatId}/mute`)
        .set(...auth(user))
        .send(body);
    expect((await put(a, { until })).body).toEqual({ chatId, muted: true, mutedUntil: until, forever: false });
    expect((await put(a, { until, forever: true })).status).toBe(400);
    expect((await put(a, {})).status).toBe(400);
    expect((await put(a, { until: new Date(Date.now() - 1000).toISOString() })).status).toBe(400);
    const stranger = await signUp(stack.api);
    expect((await put(stranger, { forever: true })).status).toBe(404);
    const got = await request(stack.api.url)
      .get(`/chats/${chatId}`)
      .set(...auth(a));
    expect(got.body.muted).toBe(true);
    const peer = await request(stack.api.url)
      .get(`/chats/${chatId}`)
      .set(...auth(b));
    expect(peer.body.muted).toBe(false);
    const off = await request(stack.api.url)
      .delete(`/chats/${chatId}/mute`)
      .set(...auth(a));
    expect(off.body).toEqual({ chatId, muted: false, mutedUntil: null, forever: false });
  });

  async function connectedPairWith(x: SignedUpUser, y: SignedUpUser): Promise<string> {
    const { connectUsers } = await import('@test/support');
    await connectUsers(stack.api, x, y);
    const opened = await request(stack.api.url)
      .post('/chats')
      .set(...auth(x))
      .send({ peerId: y.userId });
    return opened.body.id as string;
  }

  async function isConnected(userId: string): Promise<boolean> {
    const { PresenceDirectory } = await import('@app/common');
    return stack.api.app.get(PresenceDirectory).hasConnectedDevice(userId);
  }
});
