/**
 * Phone number detection, tuned against false positives on the numbers a DMP sees all day
 * (numeric IDs, Unix timestamps, prices, postcodes, dates, versions). The rule of thumb: a bare
 * run of digits is never taken for a phone number, because nothing distinguishes "0612345678"
 * from an ID. A number is reported only when its *shape* says phone:
 *
 * 1. international: "+" then 8-15 digits, with optional spaces, dots, dashes, slashes, brackets;
 * 2. international with the "00" prefix, in separated groups, 10-15 digits;
 * 3. North American: (415) 555-2671, 415-555-2671, 415.555.2671, 1 415 555 2671, with a valid
 *    area code and exchange (first digit 2-9);
 * 4. national with a trunk "0", in separated groups, 9-12 digits: 020 7946 0958, 06 12 34 56 78,
 *    030-1234567, (0)30 123 456;
 * 5. any 7-15 digits right after a phone word: "tel: 0612345678", "call me on 0044...".
 * Dates (8 digits), sort codes (6) and decimals never reach the digit minimums.
 */

const SEP = '[\\s.\\-/]';
// A number must not continue after the match ("… 67 89 01 23" is not a 10-digit phone).
const AFTER = '(?![\\w]|[.\\-/\\s]\\d)';
const BEFORE = '(?<![\\w.+\\-/]|\\d\\s)';

const INTERNATIONAL = /(?<![\w+])\+[1-9](?:[\s.\-/()]{0,2}\d){6,14}(?![\w]|[.\-/]\d)/g;
const DOUBLE_ZERO = new RegExp(`${BEFORE}00[1-9]\\d{0,3}(?:${SEP}\\d{1,6}){2,5}${AFTER}`, 'g');
const NORTH_AMERICA = new RegExp(
  `${BEFORE}(?:1[\\s.\\-])?(?:\\(([2-9])\\d{2}\\)\\s?|([2-9])\\d{2}[\\s.\\-])[2-9]\\d{2}[\\s.\\-]\\d{4}${AFTER}`,
  'g',
);
const TRUNK = new RegExp(
  `${BEFORE}(?:\\(0\\)\\s?[1-9]\\d{0,4}|\\(0[1-9]\\d{0,4}\\)|0[1-9]\\d{0,4})(?:${SEP}{1,2}\\d{2,8}){1,4}${AFTER}`,
  'g',
);
const PHONE_WORD =
  /\b(?:tel|phone|telephone|mobile|mob|cell|call|fax|whatsapp|sms|telefon|telefono|téléphone)\b\.?\s{0,3}(?:me\s+)?(?:(?:on|at)\s+)?[:#=]?\s{0,3}(\+?\d[\d\s().\-/]{5,22}\d)/giu;

function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function firstMatch(
  pattern: RegExp,
  text: string,
  min: number,
  max: number,
  group = 0,
): string | null {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const candidate = m[group] ?? '';
    const digits = digitCount(candidate);
    if (digits >= min && digits <= max) return candidate.trim();
  }
  return null;
}

/** First phone number in `text` according to the rules above, or null. */
export function findPhone(text: string): string | null {
  return (
    firstMatch(INTERNATIONAL, text, 8, 15) ??
    firstMatch(DOUBLE_ZERO, text, 10, 15) ??
    firstMatch(NORTH_AMERICA, text, 10, 11) ??
    firstMatch(TRUNK, text, 9, 12) ??
    firstMatch(PHONE_WORD, text, 7, 15, 1)
  );
}
