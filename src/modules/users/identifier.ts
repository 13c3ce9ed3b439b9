import { isEmail } from 'class-validator';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type IdentifierType = 'phone' | 'email';

/** A login identifier in its one canonical form: E.164 for phones, trimmed lower case for emails. */
export interface Identifier {
  type: IdentifierType;
  value: string;
}

export type NormaliseResult = { ok: true; identifier: Identifier } | { ok: false; reason: string };

/**
 * Canonical form of what a person typed, or why it is not an identifier. The `max` metadata is used
 * so a number is checked against the real numbering plan, not only its length.
 */
export function normaliseIdentifier(raw: string, country?: string): NormaliseResult {
  const input = raw.trim();
  if (input.includes('@')) {
    const email = input.toLowerCase();
    if (email.length > 254 || !isEmail(email)) return { ok: false, reason: 'not a valid email address' };
    return { ok: true, identifier: { type: 'email', value: email } };
  }
  const hint = country?.toUpperCase();
  if (hint !== undefined && !isSupportedCountry(hint)) return { ok: false, reason: `unknown country code "${country}"` };
  if (!input.startsWith('+') && !input.startsWith('00') && !hint) {
    return { ok: false, reason: 'a phone number in national format needs a country hint (or use +<calling code>)' };
  }
  const phone = parsePhoneNumberFromString(input.startsWith('00') ? `+${input.slice(2)}` : input, hint);
  if (!phone) return { ok: false, reason: 'not a phone number or an email address' };
  if (!phone.isValid()) return { ok: false, reason: `not a valid phone number${hint ? ` for ${hint}` : ''}` };
  return { ok: true, identifier: { type: 'phone', value: phone.number } };
}
