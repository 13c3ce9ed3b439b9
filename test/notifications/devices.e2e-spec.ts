import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApi, type TestApi } from '@test/support';
import { PushReceiver } from './push-receiver.js';
import { auth } from './stack.js';

// One api at a time: passport's JWT strategy is process-global, so two apps with different secrets cannot share a process.
describe('push device registration', () => {
  let receiver: PushReceiver;
  let api: TestApi;
  beforeAll(async () => {
    receiver = new PushReceiver();
    await receiver.start();
    api = await startTestApi(receiver.env());
  });
  afterAll(async () => {
    await api.close();
    await receiver.stop();
  });

  it('is idempotent per token and per subscription; a rotated subscription replaces the old one', async () => {
    const user = await signUp(api);
    const fcm = () =>
      request(api.url)
        .post('/push/devices')
        .set(...auth(user))
        .send({ platform: 'fcm', token: 'fcm-token-0001' });
    const first = await fcm();
    const second = await fcm();
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);

    const { subscription } = receiver.newWebSubscription();
    const web1 = await request(api.url)
      .post('/push/devices')
      .set(...auth(user))
      .send({ platform: 'web', subscription });
    expect(web1.status).toBe(201);
    expect(web1.body).toMatchObject({ platform: 'web', endpointOrigin: receiver.url, expirationTime: null });
    const rotated = receiver.newWebSubscription().subscription;
    const web2 = await request(api.url)
      .post('/push/devices')
      .set(...auth(user))
      .send({ platform: 'web', subscription: { ...rotated, expirationTime: Date.now() + 86_400_000 } });
    expect(web2.status).toBe(201);
    const list = await request(api.url)
      .get('/push/devices')
      .set(...auth(user));
    expect(list.body.items.map((d: { id: string }) => d.id).sort()).toEqual([first.body.id, web2.body.id].sort());

    const other = await signUp(api);
    const notMine = await request(api.url)
      .delete(`/push/devices/${first.body.id}`)
      .set(...auth(other));
    expect(notMine.status).toBe(404);
    const removed = await request(api.url)
      .delete(`/push/devices/${first.body.id}`)
      .set(...auth(user));
    expect(removed.status).toBe(204);
  });

  it('refuses malformed devices, http endpoints and (outside tests) private addresses', async () => {
    const user = await signUp(api);
    const post = (target: TestApi, body: object) =>
      request(target.url)
        .post('/push/devices')
        .set(...auth(user))
        .send(body);
    const { subscription } = receiver.newWebSubscription();
    expect((await post(api, { platform: 'web', token: 'abcdefgh1' })).status).toBe(400);
    expect((await post(api, { platform: 'apns', subscription })).status).toBe(400);
    expect((await post(api, { platform: 'web', subscription: { ...subscription, endpoint: 'http://push.example.com/x' } })).status).toBe(
      400,
    );
    expect((await post(api, { platform: 'web', subscription: { endpoint: subscription.endpoint, keys: subscription.keys } })).status).toBe(
      400,
    );
  });

  it('the VAPID public key is served for PushManager.subscribe', async () => {
    const on = await request(api.url)
      .get('/push/vapid-public-key')
      .set(...auth(await signUp(api)));
    expect(on.body).toEqual({ publicKey: receiver.vapid.publicKey });
  });
});

describe('push endpoints outside tests (PUSH_ALLOW_PRIVATE_ENDPOINTS=false)', () => {
  let receiver: PushReceiver;
  let strict: TestApi;
  beforeAll(async () => {
    receiver = new PushReceiver();
    await receiver.start();
    strict = await startTestApi({ ...receiver.env(), PUSH_ALLOW_PRIVATE_ENDPOINTS: 'false' });
  });
  afterAll(async () => {
    await strict.close();
    await receiver.stop();
  });

  it('refuses endpoints on loopback or private addresses: the server never becomes a way into an internal network', async () => {
    const user = await signUp(strict);
    const { subscription } = receiver.newWebSubscription();
    for (const endpoint of [
      subscription.endpoint,
      'https://localhost/wp/x',
      'https://10.1.2.3/wp/x',
      'https://[::1]/wp/x',
      'https://[::ffff:192.168.1.1]/x',
    ]) {
      const res = await request(strict.url)
        .post('/push/devices')
        .set(...auth(user))
        .send({ platform: 'web', subscription: { ...subscription, endpoint } });
      expect(res.status, endpoint).toBe(400);
      expect(res.body.code, endpoint).toBe('invalid_push_endpoint');
    }
  });
});

describe('push providers without keys', () => {
  let bare: TestApi;
  beforeAll(async () => {
    bare = await startTestApi();
  });
  afterAll(() => bare.close());

  it('a provider whose keys are unset is off: its devices are refused with a clear error', async () => {
    const user = await signUp(bare);
    const res = await request(bare.url)
      .post('/push/devices')
      .set(...auth(user))
      .send({ platform: 'apns', token: 'a'.repeat(64) });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'push_provider_disabled' });
    const key = await request(bare.url)
      .get('/push/vapid-public-key')
      .set(...auth(user));
    expect(key.status).toBe(404);
  });
});
