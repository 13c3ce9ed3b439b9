import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainEventBus } from '@app/common';
import { signUp } from '@test/support';
import { jobId, NotificationsJob } from '../../src/modules/notifications/notifications.jobs.js';
import { drafts } from '../../src/modules/notifications/notification-drafts.js';
import { auth, eventJobId, type NotificationsStack, registerWebDevice, scan, startStack } from './stack.js';

describe('Web Push to an offline user (real worker, local HTTPS receiver)', () => {
  let stack: NotificationsStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('delivers a VAPID-signed, aes128gcm-encrypted push with TTL, Urgency and Topic', async () => {
    const [owner, scanner] = await Promise.all([signUp(stack.api), signUp(stack.api)]);
    const { deviceId, subId } = await registerWebDevice(stack, owner);
    const requestId = await scan(stack.api, owner, scanner);
    const [push] = await stack.receiver
      .waitFor(() => stack.receiver.pushesTo(subId).length === 1)
      .then(() => stack.receiver.pushesTo(subId));
    expect(stack.receiver.problems).toEqual([]);
    expect(push.headers).toMatchObject({ ttl: '86400', urgency: 'normal', topic: `conn-${requestId}`, 'content-encoding': 'aes128gcm' });
    expect(push.body).toMatchObject({
      title: 'New connection request',
      tag: `conn-${requestId}`,
      badge: 0,
      data: { kind: 'connection.requested', actorId: scanner.userId, subjectId: requestId },
    });
    const { notificationId } = await stack.result<{ notificationId: string }>(eventJobId(`connection.requested:${requestId}`));
    expect(await stack.result(jobId('push', notificationId, deviceId))).toEqual({ outcome: 'delivered' });
  });

  it('the same domain event delivered twice makes one notification and one push', async () => {
    const [owner, scanner] = await Promise.all([signUp(stack.api), signUp(stack.api)]);
    const { deviceId, subId } = await registerWebDevice(stack, owner);
    const requestId = await scan(stack.api, owner, scanner);
    const first = await stack.result<{ notificationId: string }>(eventJobId(`connection.requested:${requestId}`));
    await stack.result(jobId('push', first.notificationId, deviceId));
    const event = { requestId, fromUserId: scanner.userId, toUserId: owner.userId };
    // Replayed through the bus (same job id: BullMQ keeps one job) ...
    await stack.api.app.get(DomainEventBus).emitAsync('connection.requested', event);
    // ... and as a second job that got past BullMQ (at-least-once): the unique dedupeKey makes it a no-op.
    await stack.queue.add(NotificationsJob.Notify, { draft: drafts.connectionRequested(event) }, { jobId: 'replayed-by-test' });
    expect(await stack.result('replayed-by-test')).toEqual({ stored: false });
    const list = await request(stack.api.url)
      .get('/notifications')
      .set(...auth(owner));
    expect(list.body.items).toHaveLength(1);
    expect(stack.receiver.pushesTo(subId)).toHaveLength(1);
  });

  it('410 prunes exactly that device; a 503 with Retry-After is retried and delivered', async () => {
    const [owner, scanner] = await Promise.all([signUp(stack.api), signUp(stack.api)]);
    // Three browsers: three sessions of one account (a new subscription from the same session would replace the last).
    const gone = await registerWebDevice(stack, owner);
    const busy = await registerWebDevice(stack, await signUp(stack.api, { identifier: owner.identifier }));
    const fine = await registerWebDevice(stack, await signUp(stack.api, { identifier: owner.identifier }));
    stack.receiver.script(gone.subId, { status: 410 });
    stack.receiver.script(busy.subId, { status: 503, headers: { 'retry-after': '1' } });
    const requestId = await scan(stack.api, owner, scanner);
    const { notificationId } = await stack.result<{ notificationId: string }>(eventJobId(`connection.requested:${requestId}`));
    expect(await stack.result(jobId('push', notificationId, gone.deviceId))).toEqual({ outcome: 'pruned' });
    expect(await stack.result(jobId('push', notificationId, busy.deviceId))).toEqual({ outcome: 'delivered' });
    expect(await stack.result(jobId('push', notificationId, fine.deviceId))).toEqual({ outcome: 'delivered' });
    expect(stack.receiver.pushesTo(busy.subId).map((p) => p.status)).toEqual([503, 201]);
    expect(stack.receiver.pushesTo(gone.subId).map((p) => p.status)).toEqual([410]);
    const devices = await request(stack.api.url)
      .get('/push/devices')
      .set(...auth(owner));
    expect(devices.body.items.map((d: { id: string }) => d.id).sort()).toEqual([busy.deviceId, fine.deviceId].sort());
  });
});
