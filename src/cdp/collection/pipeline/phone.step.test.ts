import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.js';
import { countryFromLocale, phoneStep, toE164 } from './phone.step.js';
import { eventWith } from './testing.js';

describe('phoneStep', () => {
  const cases: [string, JsonObject, JsonObject, Record<string, unknown>][] = [
    [
      'a US number read with the en-US locale',
      { phone: '(415) 555-2671' },
      { locale: 'en-US' },
      { traits: { phone: '+14155552671' } },
    ],
    [
      'an international number needs no locale',
      { phone: '+44 20 7946 0958' },
      {},
      { traits: { phone: '+442079460958' } },
    ],
    [
      'a local number read with fr-FR',
      { phone: '01 42 68 53 00' },
      { locale: 'fr-FR' },
      { traits: { phone: '+33142685300' } },
    ],
    [
      'an underscore locale',
      { phone: '030 901820' },
      { locale: 'de_DE' },
      { traits: { phone: '+4930901820' } },
    ],
    [
      'a + number ignores the locale country',
      { phone: '+33 1 42 68 53 00' },
      { locale: 'en-US' },
      { traits: { phone: '+33142685300' } },
    ],
    [
      'a local number without a locale is kept',
      { phone: '(415) 555-2671' },
      {},
      { traits: { phone: '(415) 555-2671' } },
    ],
    [
      'a language-only locale gives no country',
      { phone: '(415) 555-2671' },
      { locale: 'en' },
      { traits: { phone: '(415) 555-2671' } },
    ],
    [
      'garbage is kept as given',
      { phone: 'call me maybe' },
      { locale: 'en-US' },
      { traits: { phone: 'call me maybe' } },
    ],
    [
      'an invalid number is kept as given',
      { phone: '+1 555 0000' },
      {},
      { traits: { phone: '+1 555 0000' } },
    ],
    [
      'an extension is kept as given',
      { phone: '+1 415 555 2671 ext. 12' },
      {},
      { traits: { phone: '+1 415 555 2671 ext. 12' } },
    ],
    [
      'a numeric phone is converted',
      { phone: 4155552671 },
      { locale: 'en-US' },
      { traits: { phone: '+14155552671' } },
    ],
    [
      'a non-phone value is kept',
      { phone: { n: 1 } },
      { locale: 'en-US' },
      { traits: { phone: { n: 1 } } },
    ],
  ];

  it.each(cases)('%s', (_name, traits, context, expected) => {
    expect(phoneStep(eventWith({ traits, context }))).toMatchObject({
      kind: 'ok',
      value: expected,
    });
  });

  it('normalizes properties.phone and context.traits.phone too', () => {
    const result = phoneStep(
      eventWith({
        properties: { phone: '415-555-2671' },
        context: { locale: 'en-US', traits: { phone: '+1 (415) 555 2671' } },
      }),
    );
    expect(result).toMatchObject({
      kind: 'ok',
      value: {
        properties: { phone: '+14155552671' },
        context: { traits: { phone: '+14155552671' } },
      },
    });
  });
});

describe('countryFromLocale', () => {
  it.each([
    ['en-US', 'US'],
    ['en_GB', 'GB'],
    ['zh-Hant-TW', 'TW'],
    ['pt-br', 'BR'],
    ['en', undefined],
    ['es-419', undefined],
    ['not a locale!', undefined],
    [42, undefined],
    [null, undefined],
  ])('%j -> %j', (locale, expected) => {
    expect(countryFromLocale(locale)).toBe(expected);
  });
});

describe('toE164', () => {
  it('refuses absurdly long input without parsing it', () => {
    expect(toE164(`+1 415 555 2671${' '.repeat(100)}`)).toBeNull();
  });
});
