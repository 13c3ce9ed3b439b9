import { describe, expect, it } from 'vitest';
import { checkPushEndpoint, isPrivateAddress } from './endpoint-guard.js';

describe('push endpoint guard', () => {
  it('classifies loopback, private, link-local, CGNAT and mapped addresses as private', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.5',
      '172.20.1.1',
      '192.168.0.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '::',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '142.250.74.110', '2607:f8b0:4004:c07::5f', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('wants https without credentials and, unless allowed, a public address', async () => {
    expect(await checkPushEndpoint('http://8.8.8.8/x', false)).toMatchObject({ ok: false, reason: 'endpoint must be https' });
    expect(await checkPushEndpoint('https://user:pw@8.8.8.8/x', false)).toMatchObject({ ok: false });
    expect(await checkPushEndpoint('not a url', false)).toMatchObject({ ok: false });
    expect(await checkPushEndpoint('https://8.8.8.8/x', false)).toEqual({ ok: true });
    expect(await checkPushEndpoint('https://169.254.169.254/latest', false)).toMatchObject({ ok: false });
    expect(await checkPushEndpoint('https://[::1]:8443/x', false)).toMatchObject({ ok: false });
    expect(await checkPushEndpoint('https://localhost/x', false)).toMatchObject({ ok: false });
    expect(await checkPushEndpoint('https://127.0.0.1/x', true)).toEqual({ ok: true });
  });
});
