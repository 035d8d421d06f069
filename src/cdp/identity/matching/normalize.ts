/**
 * Value normalisation shared by blocking and comparison. Everything is folded to a canonical
 * form first so that the comparators only ever see differences that carry evidence, not
 * differences of case, accents, punctuation or date layout.
 */

/** Lower-case, strip diacritics, turn punctuation into spaces, collapse whitespace. */
export function normalizeText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A name reduced to letters only: "O'Brien" and "obrien", "Mary-Ann" and "maryann" compare as
 * equal, because punctuation and spacing inside names are entered inconsistently.
 */
export function normalizeName(value: string): string {
  return normalizeText(value).replace(/[^\p{L}]/gu, '');
}

/** Digits only: phone numbers, postcodes, street numbers and IDs are compared digit by digit. */
export function digitsOnly(value: string): string {
  return value.replace(/\D/g, '');
}

/** A trimmed, lower-cased email, or '' unless it has the shape local@domain. */
export function normalizeEmail(value: string): string {
  const email = value.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return '';
  return email;
}

/** Splits a normalised email into its local part and domain. */
export function splitEmail(email: string): { local: string; domain: string } {
  const at = email.lastIndexOf('@');
  return { local: email.slice(0, at), domain: email.slice(at + 1) };
}

/**
 * A date as eight digits YYYYMMDD, or '' when it cannot be read. Accepted layouts: YYYYMMDD,
 * YYYY-MM-DD (any non-digit separator) and DD-MM-YYYY (day first, the convention everywhere
 * but the US; an ambiguous US date will at worst look like a swapped day and month, which the
 * date comparator tolerates). Invalid calendar dates are kept: a typo like month 13 still
 * carries digit-level evidence.
 */
export function normalizeDate(value: string): string {
  const trimmed = value.trim();
  if (/^\d{8}$/.test(trimmed)) return trimmed;
  const parts = trimmed.split(/\D+/).filter((p) => p !== '');
  if (parts.length !== 3) return '';
  const [p0, p1, p2] = parts as [string, string, string];
  const pad = (s: string) => s.padStart(2, '0');
  if (p0.length === 4 && p1.length <= 2 && p2.length <= 2) return `${p0}${pad(p1)}${pad(p2)}`;
  if (p2.length === 4 && p0.length <= 2 && p1.length <= 2) return `${p2}${pad(p1)}${pad(p0)}`;
  return '';
}

/** Words that stand for "no value" in hand-entered data. */
const NULL_WORDS = new Set([
  'unknown',
  'unk',
  'n a',
  'none',
  'null',
  'nil',
  'nan',
  'undefined',
  'test',
  'xxx',
  'tbd',
  'not provided',
]);

const PLACEHOLDER_EMAIL_LOCALS = new Set([
  'test',
  'none',
  'null',
  'noemail',
  'no email',
  'noreply',
  'no reply',
  'donotreply',
  'do not reply',
  'nobody',
  'email',
  'example',
  'unknown',
  'na',
]);

const PLACEHOLDER_EMAIL_DOMAINS = new Set([
  'test.com',
  'example.com',
  'example.org',
  'example.net',
  'email.com',
  'none.com',
  'noemail.com',
  'invalid',
]);

const PLACEHOLDER_DATES = new Set(['00000000', '19000101', '18000101', '11111111', '99999999']);

/** True for a run of a single repeated digit ("0", "0000", "9999999"). */
function isRepeatedDigit(digits: string): boolean {
  return digits.length > 0 && /^(\d)\1*$/.test(digits);
}

/** True for an ascending or descending digit run such as "123456" or "987654". */
function isDigitRun(digits: string): boolean {
  if (digits.length < 5) return false;
  return '01234567890123456789'.includes(digits) || '98765432109876543210'.includes(digits);
}

/** Placeholder kinds, by how the normalised value should be recognised. */
export type PlaceholderKind = 'text' | 'email' | 'phone' | 'identifier' | 'date' | 'number';

/**
 * Whether a normalised value is a known placeholder ("test@test.com", phone "0", dob
 * 1900-01-01, "unknown"...). Placeholders are shared by unrelated people, so they are treated
 * as missing: they never form a blocking key and never count as agreement. Values that are
 * merely frequent are handled separately, by frequency (see prepare.ts).
 */
export function isPlaceholder(kind: PlaceholderKind, value: string): boolean {
  if (value === '') return true;
  switch (kind) {
    case 'email': {
      const { local, domain } = splitEmail(value);
      const localWords = normalizeText(local);
      return (
        PLACEHOLDER_EMAIL_LOCALS.has(localWords) ||
        PLACEHOLDER_EMAIL_DOMAINS.has(domain) ||
        NULL_WORDS.has(localWords)
      );
    }
    case 'phone':
      return value.length < 6 || isRepeatedDigit(value) || isDigitRun(value);
    case 'identifier':
      return isRepeatedDigit(value) || isDigitRun(value) || NULL_WORDS.has(value);
    case 'date':
      return PLACEHOLDER_DATES.has(value);
    case 'number':
      return /^0+$/.test(value);
    case 'text':
      return NULL_WORDS.has(value);
  }
}
