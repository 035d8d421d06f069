import {
  type CountryCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import { field } from './json.js';
import { rewriteField, TRAIT_LOCATIONS } from './locations.js';
import { type CollectedEvent, ok, type StepResult } from './types.js';

/**
 * Step 6: rewrites `phone` in `traits`, `properties` and `context.traits` to E.164
 * (`+14155552671`) so one number is one identity however it was typed.
 *
 * A number without a `+` prefix is read in the country of `context.locale` (`en-US` -> US).
 * Only numbers that are valid by the full metadata (`libphonenumber-js/max`, which checks
 * number ranges, not just lengths) are rewritten. Anything else, including numbers with an
 * extension (E.164 has no place for one), is kept exactly as given: a phone field is not worth
 * rejecting an event over, and a bad guess would merge two people.
 */
export function phoneStep(event: CollectedEvent): StepResult<CollectedEvent> {
  // The locale lookup costs more than the rest of the step: do it only when a phone is there.
  let country: CountryCode | undefined | null = null;
  let next = event;
  for (const location of TRAIT_LOCATIONS) {
    next = rewriteField(next, location, 'phone', (value) => {
      if (typeof value !== 'string' && typeof value !== 'number') return value;
      if (country === null) country = countryFromLocale(field(event.context, 'locale'));
      return toE164(String(value), country) ?? value;
    });
  }
  return ok(next);
}

/** The phone in E.164, or `null` when it is not a valid number (in `defaultCountry` if local). */
export function toE164(text: string, defaultCountry?: CountryCode): string | null {
  // Phone fields are short; parsing a multi-kilobyte string is wasted work.
  if (text.length > 64) return null;
  const parsed = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : {});
  if (!parsed?.isValid() || parsed.ext) return null;
  return parsed.number;
}

/** The region of a BCP 47 locale (`en-US`, `en_US`, `zh-Hant-TW`) as a supported country code. */
const countryByLocale = new Map<string, CountryCode | undefined>();

export function countryFromLocale(locale: unknown): CountryCode | undefined {
  if (typeof locale !== 'string' || locale === '' || locale.length > 64) return undefined;
  if (countryByLocale.has(locale)) return countryByLocale.get(locale);
  const country = parseLocaleCountry(locale);
  // Locales are few in practice; the bound only stops a hostile sender from growing the map.
  if (countryByLocale.size >= 1000) countryByLocale.clear();
  countryByLocale.set(locale, country);
  return country;
}

function parseLocaleCountry(locale: string): CountryCode | undefined {
  try {
    const region = new Intl.Locale(locale.replaceAll('_', '-')).region;
    return region && isSupportedCountry(region) ? region : undefined;
  } catch {
    // Not a well-formed locale tag: no default country.
    return undefined;
  }
}
