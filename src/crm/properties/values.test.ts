import { describe, expect, it } from 'vitest';
import type { PropertyDef, PropertyType } from './property.js';
import { standardProperties } from './standard-properties.js';
import { indexValue, normalizeValue, parseTime, tokensOf } from './values.js';

const def = (type: PropertyType, extra: Partial<PropertyDef> = {}): PropertyDef => {
  const base = standardProperties('contacts').get('firstname');
  if (!base) throw new Error('firstname is a standard property');
  return { ...base, type, ...extra };
};
const options = [
  { label: 'A', value: 'a', displayOrder: 0, hidden: false },
  { label: 'B', value: 'b', displayOrder: 1, hidden: false },
];

describe('normalizeValue', () => {
  it.each([
    ['string', 'hello', 'hello'],
    ['string', 42, '42'],
    ['string', '', null],
    ['string', null, null],
    ['number', '12.50', '12.5'],
    ['number', 7, '7'],
    ['money', '-3', '-3'],
    ['bool', 'TRUE', 'true'],
    ['bool', false, 'false'],
    ['date', '2026-02-03', '2026-02-03'],
    ['date', '1770076800000', '2026-02-03'],
    ['datetime', '2026-02-03T04:05:06+01:00', '2026-02-03T03:05:06.000Z'],
    ['datetime', 1770076800000, '2026-02-03T00:00:00.000Z'],
    ['email', 'a.b@c.io', 'a.b@c.io'],
    ['phone_number', '+1 (555) 010-0199 x12', '+1 (555) 010-0199 x12'],
    ['url', 'https://x.io/a?b=1', 'https://x.io/a?b=1'],
  ] as [PropertyType, string | number | boolean | null, string | null][])(
    '%s %j -> %j',
    (type, raw, expected) => {
      expect(normalizeValue(def(type), raw)).toEqual({ ok: true, value: expected });
    },
  );

  it.each([
    ['number', 'abc'],
    ['number', true],
    ['number', 'Infinity'],
    ['bool', 'yes'],
    ['date', '2026-02-30x'],
    ['date', '1770076800001'],
    ['datetime', 'tomorrow'],
    ['email', 'no-at-sign'],
    ['phone_number', 'call me'],
    ['url', 'javascript:alert(1)'],
  ] as [PropertyType, string | boolean][])('%s refuses %j', (type, raw) => {
    expect(normalizeValue(def(type), raw).ok).toBe(false);
  });

  it('checks enumeration options, several for checkbox fields', () => {
    expect(normalizeValue(def('enumeration', { options }), 'a')).toEqual({ ok: true, value: 'a' });
    expect(normalizeValue(def('enumeration', { options }), 'a;b').ok).toBe(false);
    expect(normalizeValue(def('enumeration', { options, fieldType: 'checkbox' }), 'a; b')).toEqual({
      ok: true,
      value: 'a;b',
    });
    expect(normalizeValue(def('enumeration', { options }), 'c').ok).toBe(false);
  });
});

describe('indexing', () => {
  it('puts numbers and dates in v_num, text lower-cased in v_text', () => {
    expect(indexValue(def('money'), '12.5')).toEqual({ v_text: null, v_num: 12.5 });
    expect(indexValue(def('date'), '2026-02-03')).toEqual({ v_text: null, v_num: 1770076800000 });
    expect(indexValue(def('string'), 'MiXeD')).toEqual({ v_text: 'mixed', v_num: null });
  });

  it('parses times leniently but exactly', () => {
    expect(parseTime('0')).toBe(0);
    expect(parseTime('2026-02-03')).toBe(1770076800000);
    expect(parseTime('03/02/2026')).toBeUndefined();
  });

  it('tokenizes words, and e-mails whole and by domain', () => {
    expect(tokensOf('Ada.Lovelace@Example.com')).toEqual([
      'ada.lovelace@example.com',
      'example.com',
      'ada',
      'lovelace',
      'example',
      'com',
    ]);
    expect(tokensOf('  Zoë   Saldaña ')).toEqual(['zoë', 'saldaña']);
  });
});
