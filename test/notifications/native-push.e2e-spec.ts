import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainEventBus } from '@app/common';
import { signUp } from '@app/testing';
import { jobId } from '../../src/modules/notifications/notifications.jobs.js';
import { auth, eventJobId, type NotificationsStack, scan, startStack } from './stack.js';

const FCM_UNREGISTERED = {
  status: 404,
  body: {
    error: {
      code: 404,
      message: 'Requested entity was not found.',
      status: 'NOT_FOUND',
      details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }],
    },
  },
};

describe('FCM HTTP v1 and APNs (HTTP/2) pushes (real worker, local fakes)', () => {
  let stack: NotificationsStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  async function register(user: { accessToken: string }, platform: string, token: string): Promise<string> {
    const res = await request(stack.api.url)
      .post('/push/devices')
      .set(...auth(user))
      .send({ platform, token });
    if (res.status !== 201) throw new Error(`register ${platform}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  it('sends the request shapes the services expect and prunes exactly the UNREGISTERED / 410 Unregistered devices', async () => {
    const [owner, scanner] = await Promise.all([signUp(stack.api), signUp(stack.api)]);
    const tag = randomBytes(4).toString('hex');
    const tokens = {
      fcm: `fcm-ok-${tag}`,
      fcmDead: `fcm-dead-${tag}`,
      apns: `a0${tag}`.padEnd(64, '0'),
      apnsDead: `d0${tag}`.padEnd(64, '0'),
      voip: `f0${tag}`.padEnd(64, '0'),
    };
    const ids = {
      fcm: await register(owner, 'fcm', tokens.fcm),
      fcmDead: await register(owner, 'fcm', tokens.fcmDead),
      apns: await register(owner, 'apns', tokens.apns),
      apnsDead: await register(owner, 'apns', tokens.apnsDead),
      voip: await register(owner, 'apns-voip', tokens.voip),
    };
    stack.receiver.script(tokens.fcmDead, FCM_UNREGISTERED);
    stack.receiver.script(tokens.apnsDead, { status: 410, body: { reason: 'Unregistered', timestamp: Date.now() } });

    const requestId = await scan(stack.api, owner, scanner);
    const { notificationId, pushes } = await stack.result<{ notificationId: string; pushes: number }>(
      eventJobId(`connection.requested:${requestId}`),
    );
    expect(pushes).toBe(4); // the VoIP device only ever gets incoming calls
    const outcome = (device: string): Promise<unknown> => stack.result(jobId('push', notificationId, device));
    expect(await outcome(ids.fcm)).toEqual({ outcome: 'delivered' });
    expect(await outcome(ids.fcmDead)).toEqual({ outcome: 'pruned' });
    expect(await outcome(ids.apns)).toEqual({ outcome: 'delivered' });
    expect(await outcome(ids.apnsDead)).toEqual({ outcome: 'pruned' });
    expect(stack.receiver.problems).toEqual([]);

    const [fcm] = stack.receiver.pushesTo(tokens.fcm);
    expect(fcm.body).toMatchObject({
      token: tokens.fcm,
      notification: { title: 'New connection request' },
      data: { kind: 'connection.requested', subjectId: requestId, badge: '0' },
      android: { collapse_key: `conn-${requestId}`, priority: 'NORMAL', ttl: '86400s' },
      apns: { headers: { 'apns-collapse-id': `conn-${requestId}`, 'apns-priority': '5' }, payload: { aps: { badge: 0 } } },
    });
    const [apns] = stack.receiver.pushesTo(tokens.apns);
    expect(apns.headers).toMatchObject({
      'apns-push-type': 'alert',
      'apns-topic': 'com.example.messaging',
      'apns-collapse-id': `conn-${requestId}`,
      'apns-priority': '5',
    });
    expect(Number(apns.headers['apns-expiration'])).toBeGreaterThan(Date.now() / 1000);
    expect(apns.body).toMatchObject({ aps: { alert: { title: 'New connection request' }, badge: 0 }, kind: 'connection.requested' });
    expect(stack.receiver.pushesTo(tokens.voip)).toEqual([]);

    const left = await request(stack.api.url)
      .get('/push/devices')
      .set(...auth(owner));
    expect(left.body.items.map((d: { id: string }) => d.id).sort()).toEqual([ids.fcm, ids.apns, ids.voip].sort());
  });

  // Until the calls module lands, the event is emitted as calls will emit it (libs/common DomainEvents).
  it('an incoming call to a callee with no connected device is a VoIP push that expires with the ring timeout', async () => {
    const [caller, callee] = await Promise.all([signUp(stack.api), signUp(stack.api)]);
    const tag = randomBytes(4).toString('hex');
    const voip = `e0${tag}`.padEnd(64, '0');
    const alert = `b0${tag}`.padEnd(64, '0');
    const fcmToken = `fcm-call-${tag}`;
    await register(callee, 'apns-voip', voip);
    await register(callee, 'apns', alert);
    await register(callee, 'fcm', fcmToken);
    const callId = randomBytes(12).toString('hex');
    const expiresAt = new Date(Date.now() + 45_000);
    await stack.api.app.get(DomainEventBus).emitAsync('call.incoming', {
      callId,
      callerId: caller.userId,
      calleeId: callee.userId,
      kind: 'video',
      expiresAt: expiresAt.toISOString(),
    });
    await stack.receiver.waitFor(() => stack.receiver.pushesTo(voip).length === 1 && stack.receiver.pushesTo(fcmToken).length === 1);
    const [push] = stack.receiver.pushesTo(voip);
    expect(push.headers).toMatchObject({ 'apns-push-type': 'voip', 'apns-topic': 'com.example.messaging.voip', 'apns-priority': '10' });
    expect(push.headers['apns-collapse-id']).toBeUndefined();
    const expiration = Number(push.headers['apns-expiration']);
    expect(expiration).toBeLessThanOrEqual(Math.ceil(expiresAt.getTime() / 1000));
    expect(expiration).toBeGreaterThan(Date.now() / 1000);
    expect(push.body).toMatchObject({ aps: {}, kind: 'call.incoming', callKind: 'video', subjectId: callId, actorId: caller.userId });
    const [fcm] = stack.receiver.pushesTo(fcmToken);
    expect(fcm.body.notification).toBeUndefined(); // data-only: the app rings itself
    expect(fcm.body).toMatchObject({ android: { priority: 'HIGH' }, data: { kind: 'call.incoming', callKind: 'video' } });
    // The plain APNs device does not ring twice; an incoming call is not an in-app feed item.
    expect(stack.receiver.pushesTo(alert)).toEqual([]);
    const feed = await request(stack.api.url)
      .get('/notifications')
      .set(...auth(callee));
    expect(feed.body.items).toEqual([]);
  });
});
