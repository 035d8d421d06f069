import { describe, expect, it } from 'vitest';
import { luhnValid } from './luhn.js';

describe('luhnValid', () => {
  it.each([
    '4111111111111111',
    '5500005555555559',
    '378282246310005',
    '6011111111111117',
    '79927398713',
    '0',
  ])('accepts %s', (digits) => expect(luhnValid(digits)).toBe(true));

  it.each(['4111111111111112', '79927398710', '1234567812345678', '', '4111-1111', 'abc'])(
    'rejects %j',
    (digits) => expect(luhnValid(digits)).toBe(false),
  );

  it('detects every single-digit change of a valid number', () => {
    const valid = '4539578763621486';
    for (let i = 0; i < valid.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === valid[i]) continue;
        const changed = `${valid.slice(0, i)}${d}${valid.slice(i + 1)}`;
        expect(luhnValid(changed)).toBe(false);
      }
    }
  });
});
