import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** A phone number in E.164 form (`+79123456789`) with its country, or why it is not one. */
export type NormalizedPhone =
  | { ok: true; e164: string; country?: string }
  | { ok: false; reason: 'invalid' };

/**
 * Normalizes a phone number as a messenger or a person writes it (`79123456789`,
 * `8 (912) 345-67-89`, `+44 20 7946 0958`) to E.164 with `libphonenumber-js`. Digits with no
 * `+` are read first as an international number (Telegram shares numbers that way), then as a
 * number of `defaultCountry`.
 *
 * @example
 * normalizePhone('79123456789', 'RU') // { ok: true, e164: '+79123456789', country: 'RU' }
 */
export function normalizePhone(raw: string, defaultCountry: string): NormalizedPhone {
  const written = raw.trim();
  if (!/^[+\d\s()\-.]{5,32}$/.test(written)) return { ok: false, reason: 'invalid' };
  const candidates = written.startsWith('+') ? [written] : [`+${written}`, written];
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, defaultCountry.toUpperCase() as never);
    if (parsed?.isValid())
      return {
        ok: true,
        e164: parsed.number,
        ...(parsed.country ? { country: parsed.country } : {}),
      };
  }
  return { ok: false, reason: 'invalid' };
}

/** The number with all but its last two digits hidden: `+7 *** ***-**-89`. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  return `+${digits.slice(0, digits.length > 11 ? 2 : 1)} ••• ••• ••${digits.slice(-2)}`;
}
