import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';

const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/app', REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: 'x'.repeat(32) };

describe('notifications config', () => {
  it('every provider is off without keys; private endpoints are refused by default', () => {
    const { push } = loadConfig(valid).notifications;
    expect(push).toMatchObject({ webPush: null, fcm: null, apns: null, allowPrivateEndpoints: false, ttlSeconds: 86_400 });
  });

  it('half-set provider keys stop start-up naming them', () => {
    expect(() => loadConfig({ ...valid, APNS_KEY_ID: 'ABCDEFGHIJ' })).toThrow(
      /APNS_KEY, APNS_KEY_ID, APNS_TEAM_ID, APNS_TOPIC must be set together/,
    );
    expect(() => loadConfig({ ...valid, FCM_PROJECT_ID: 'p', FCM_SERVICE_ACCOUNT_JSON: '{"nope":1}' })).toThrow(
      /FCM_SERVICE_ACCOUNT_JSON must be a service account/,
    );
  });

  it("honours the service account's token_uri and defaults the public endpoints", () => {
    const account = JSON.stringify({
      client_email: 'a@b.iam.gserviceaccount.com',
      private_key: 'k',
      token_uri: 'https://127.0.0.1:9/token',
    });
    const { fcm } = loadConfig({ ...valid, FCM_PROJECT_ID: 'p', FCM_SERVICE_ACCOUNT_JSON: account }).notifications.push;
    expect(fcm).toMatchObject({
      tokenUri: 'https://127.0.0.1:9/token',
      endpoint: 'https://fcm.googleapis.com',
      clientEmail: 'a@b.iam.gserviceaccount.com',
    });
  });
});
