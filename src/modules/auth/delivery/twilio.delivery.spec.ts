import { describe, expect, it } from 'vitest';
import { buildTwilioMessage, TwilioOtpDelivery } from './twilio.delivery.js';

const message = { to: { type: 'phone' as const, value: '+447400123456' }, code: '042917', ttlMinutes: 5 };
const ACCOUNT = `AC${'1'.repeat(32)}`;

describe('Twilio OTP delivery', () => {
  it('builds the Messages API parameters from a sender number', () => {
    expect(buildTwilioMessage({ from: '+15005550006' }, message)).toEqual({
      to: '+447400123456',
      from: '+15005550006',
      body: 'Your sign-in code is 042917. It expires in 5 minutes. Never share it with anyone.',
    });
  });

  it('uses a Messaging Service SID as the sender when given one', () => {
    const sid = `MG${'a'.repeat(32)}`;
    expect(buildTwilioMessage({ from: sid }, message)).toMatchObject({ messagingServiceSid: sid });
    expect(buildTwilioMessage({ from: sid }, message)).not.toHaveProperty('from');
  });

  it('sends exactly that request to the Messages endpoint (captured, no network)', async () => {
    const requests: Array<Record<string, unknown>> = [];
    const httpClient = {
      request(opts: Record<string, unknown>) {
        requests.push(opts);
        return Promise.resolve({
          statusCode: 201,
          body: { sid: `SM${'0'.repeat(32)}`, account_sid: ACCOUNT, status: 'queued' },
          headers: {},
        });
      },
    };
    const delivery = new TwilioOtpDelivery({ accountSid: ACCOUNT, authToken: 'token-123', from: '+15005550006' }, httpClient as never);
    expect(delivery.supports('phone')).toBe(true);
    expect(delivery.supports('email')).toBe(false);
    await delivery.send(message);
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req.method).toBe('post');
    expect(req.uri).toBe(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(req.data).toMatchObject({ To: '+447400123456', From: '+15005550006', Body: expect.stringContaining('042917') });
  });
});
