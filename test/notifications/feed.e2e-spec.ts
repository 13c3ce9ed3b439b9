import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emitWithAck, nextEvent, signUp, socketPool } from '@test/support';
import { auth, eventJobId, type NotificationsStack, registerWebDevice, scan, startStack } from './stack.js';

describe('in-app notifications (real worker)', () => {
  let stack: NotificationsStack;
  const sockets = socketPool();
  beforeAll(async () => {
    stack = await startStack();
  });
  afterEach(() => sockets.closeAll());
  afterAll(() => stack.close());

  it('a scan tells the online owner (notification:new + count) and no push goes out; accepting tells the scanner', async () => {
    const [owner, scanner] = await Promise.all([signUp(stack.api), signUp(stack.api)]);
    const { subId } = await registerWebDevice(stack, owner);
    const ownerSocket = await sockets.connect(stack.api.url, owner.accessToken);
    const arrived = nextEvent<{ notification: Record<string, unknown> }>(ownerSocket, 'notification:new', 15_000);
    const counted = nextEvent<{ unread: number }>(ownerSocket, 'notification:count', 15_000);
    const requestId = await scan(stack.api, owner, scanner);

    const { notification } = await arrived;
    expect(notification).toMatchObject({
      kind: 'connection.requested',
      actorId: scanner.userId,
      subject: { type: 'connection-request', id: requestId },
      readAt: null,
    });
    expect(await counted).toEqual({ unread: 1 });
    const done = await stack.result(eventJobId(`connection.requested:${requestId}`));
    expect(done).toMatchObject({ stored: true, pushes: 0, reason: 'online' });
    expect(stack.receiver.pushesTo(subId)).toEqual([]);

    const list = await request(stack.api.url)
      .get('/notifications')
      .set(...auth(owner));
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([notification]);
    const count = await request(stack.api.url)
      .get('/notifications/unread-count')
      .set(...auth(owner));
    expect(count.body).toEqual({ unread: 1 });

    const scannerSocket = await sockets.connect(stack.api.url, scanner.accessToken);
    const accepted = nextEvent<{ notification: Record<string, unknown> }>(scannerSocket, 'notification:new', 15_000);
    const res = await request(stack.api.url)
      .post(`/connections/requests/${requestId}/accept`)
      .set(...auth(owner));
    expect(res.status).toBe(200);
    expect((await accepted).notification).toMatchObject({ kind: 'connection.accepted', actorId: owner.userId, subject: { id: requestId } });
    // The owner's own feed still holds only the request.
    const again = await request(stack.api.url)
      .get('/notifications/unread-count')
      .set(...auth(owner));
    expect(again.body).toEqual({ unread: 1 });
  });

  it('notification:read (ack) and POST /notifications/read change the exact count on every device', async () => {
    const owner = await signUp(stack.api);
    const scanners = await Promise.all([signUp(stack.api), signUp(stack.api), signUp(stack.api)]);
    const requestIds: string[] = [];
    for (const s of scanners) requestIds.push(await scan(stack.api, owner, s));
    await Promise.all(requestIds.map((id) => stack.result(eventJobId(`connection.requested:${id}`))));
    const page1 = await request(stack.api.url)
      .get('/notifications?limit=2')
      .set(...auth(owner));
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await request(stack.api.url)
      .get(`/notifications?limit=2&cursor=${page1.body.nextCursor}`)
      .set(...auth(owner));
    expect(page2.body).toMatchObject({ nextCursor: null });
    const all = [...page1.body.items, ...page2.body.items];
    // Newest first: the last scan comes first.
    expect(all.map((n: { subject: { id: string } }) => n.subject.id)).toEqual([...requestIds].reverse());

    const phone = await sockets.connect(stack.api.url, owner.accessToken);
    const laptop = await sockets.connect(stack.api.url, owner.accessToken);
    const onLaptop = nextEvent<{ unread: number }>(laptop, 'notification:count', 5000, (p) => p.unread === 2);
    const ack = await emitWithAck(phone, 'notification:read', { ids: [all[0].id, '0123456789abcdef01234567'] });
    expect(ack).toEqual({ ok: true, data: { updated: 1, unread: 2 } });
    expect(await onLaptop).toEqual({ unread: 2 });

    const bad = await emitWithAck(phone, 'notification:read', { ids: ['nope'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });

    // Another user cannot read someone else's notifications.
    const stranger = await signUp(stack.api);
    const theirs = await request(stack.api.url)
      .post('/notifications/read')
      .set(...auth(stranger))
      .send({ ids: [all[1].id] });
    expect(theirs.body).toEqual({ updated: 0, unread: 0 });

    const readAll = await request(stack.api.url)
      .post('/notifications/read')
      .set(...auth(owner))
      .send({ all: true });
    expect(readAll.status).toBe(200);
    expect(readAll.body).toEqual({ updated: 2, unread: 0 });
    const listed = await request(stack.api.url)
      .get('/notifications')
      .set(...auth(owner));
    expect(listed.body.items.every((n: { readAt: string | null }) => n.readAt !== null)).toBe(true);

    const neither = await request(stack.api.url)
      .post('/notifications/read')
      .set(...auth(owner))
      .send({});
    expect(neither.status).toBe(400);
  });
});
