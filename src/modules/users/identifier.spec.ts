import { describe, expect, it } from 'vitest';
import { normaliseIdentifier } from './identifier.js';

describe('normaliseIdentifier', () => {
  it('normalises phones to E.164, with a country hint for national formats', () => {
    expect(normaliseIdentifier('+1 (202) 555-0123')).toEqual({ ok: true, identifier: { type: 'phone', value: '+12025550123' } });
    expect(normaliseIdentifier('030 123456', 'de')).toEqual({ ok: true, identifier: { type: 'phone', value: '+4930123456' } });
    expect(normaliseIdentifier('0044 7400 123456')).toEqual({ ok: true, identifier: { type: 'phone', value: '+447400123456' } });
  });

  it('trims and lower-cases emails', () => {
    expect(normaliseIdentifier('  Ada@Example.COM ')).toEqual({ ok: true, identifier: { type: 'email', value: 'ada@example.com' } });
  });

  it('says why an identifier is refused', () => {
    expect(normaliseIdentifier('030 123456')).toMatchObject({ ok: false, reason: expect.stringMatching(/country hint/) });
    expect(normaliseIdentifier('12', 'DE')).toMatchObject({ ok: false });
    expect(normaliseIdentifier('+1 000 000 0000')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a valid phone/) });
    expect(normaliseIdentifier('ada@')).toMatchObject({ ok: false, reason: 'not a valid email address' });
    expect(normaliseIdentifier('0301234', 'XX')).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown country/) });
  });
});
