import { type CountryCode, getCountries, getCountryCallingCode, getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';

export interface Country {
  code: CountryCode;
  name: string;
  callingCode: string;
  example: string | null;
}

let cached: Country[] | null = null;

/** Every country libphonenumber-js knows, sorted by English name: the app's phone-prefix picker. */
export function countries(): Country[] {
  if (cached) return cached;
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  cached = getCountries()
    .map((code) => ({
      code,
      name: names.of(code) ?? code,
      callingCode: `+${getCountryCallingCode(code)}`,
      example: getExampleNumber(code, examples)?.formatInternational() ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return cached;
}
