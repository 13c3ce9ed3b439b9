import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, connectUsers, emitWithAck, signUp } from '@test/support';
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

  it('an incoming call to a callee with no connected device is a VoIP push that expires with the ring timeout', async () => {
    const [caller, callee] = await Promise.all([signUp(stack.api), signUp(stack.api)]);
    await connectUsers(stack.api, caller, callee);
    const tag = randomBytes(4).toString('hex');
    const voip = `e0${tag}`.padEnd(64, '0');
    const alert = `b0${tag}`.padEnd(64, '0');
    const fcmToken = `fcm-call-${tag}`;
    await register(callee, 'apns-voip', voip);
    await register(callee, 'apns', alert);
    await register(callee, 'fcm', fcmToken);
    const socket = await connectSocket(stack.api.url, caller.accessToken);
    let callId: string;
    let expiresAt: Date;
    try {
      const ack = await emitWithAck<{ callId: string; expiresAt: string }>(socket, 'call:invite', {
        peerId: callee.userId,
        kind: 'video',
        sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n',
      });
      if (!ack.ok) throw new Error(JSON.stringify(ack.error));
      callId = ack.data.callId;
      expiresAt = new Date(ack.data.expiresAt);
    } finally {
      socket.close();
    }
    // Only the call's pushes: the connection made above may push its own "accepted" to these devices.
    const ringing = (token: string) =>
      stack.receiver
        .pushesTo(token)
        .filter((p) => ((p.body.data as { kind?: string } | undefined)?.kind ?? p.body.kind) === 'call.incoming');
    await stack.receiver.waitFor(() => ringing(voip).length === 1 && ringing(fcmToken).length === 1);
    expect(stack.receiver.pushesTo(voip)).toHaveLength(1);
    const [push] = ringing(voip);
    expect(push.headers).toMatchObject({ 'apns-push-type': 'voip', 'apns-topic': 'com.example.messaging.voip', 'apns-priority': '10' });
    expect(push.headers['apns-collapse-id']).toBeUndefined();
    const expiration = Number(push.headers['apns-expiration']);
    expect(expiration).toBeLessThanOrEqual(Math.ceil(expiresAt.getTime() / 1000));
    expect(expiration).toBeGreaterThan(Date.now() / 1000);
    expect(push.body).toMatchObject({ aps: {}, kind: 'call.incoming', callKind: 'video', subjectId: callId, actorId: caller.userId });
    const [fcm] = ringing(fcmToken);
    expect(fcm.body.notification).toBeUndefined(); // data-only: the app rings itself
    expect(fcm.body).toMatchObject({ android: { priority: 'HIGH' }, data: { kind: 'call.incoming', callKind: 'video' } });
    // The plain APNs device does not ring twice; an incoming call is not an in-app feed item.
    expect(ringing(alert)).toEqual([]);
    const feed = await request(stack.api.url)
      .get('/notifications')
      .set(...auth(callee));
    expect(feed.body.items.map((n: { kind: string }) => n.kind)).toEqual(['connection.accepted']);
  });
});
