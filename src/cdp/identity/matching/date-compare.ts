/**
 * Date-of-birth comparison with the tolerances that real keying errors need. Dates are the
 * eight-digit YYYYMMDD strings produced by normalizeDate(); they need not be valid calendar
 * dates, because a typo such as month 13 still agrees digit for digit with the true date.
 */
import { osaDistance } from './edit-distance.js';

/**
 * How two dates agree, from strongest to weakest:
 * - `exact`: same eight digits;
 * - `swapped-day-month`: same year, day and month exchanged (US vs day-first entry);
 * - `one-edit`: one digit substituted, or two adjacent digits transposed;
 * - `within-year`: both are calendar dates at most 365 days apart (a wrong day or month);
 * - `two-edits`: two digit edits (e.g. a wrong decade digit and a wrong day digit);
 * - `same-year`: only the year agrees;
 * - `different`: none of the above.
 */
export type DateAgreement =
  | 'exact'
  | 'swapped-day-month'
  | 'one-edit'
  | 'within-year'
  | 'two-edits'
  | 'same-year'
  | 'different';

/** Parses YYYYMMDD into a UTC day number, or undefined when it is not a calendar date. */
export function dayNumber(date: string): number | undefined {
  if (!/^\d{8}$/.test(date)) return undefined;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(4, 6));
  const day = Number(date.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Date.UTC silently rolls 31 February over into March; such a date is not a calendar date.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return Math.round(ms / 86_400_000);
}

/** Absolute difference in days, or undefined unless both are calendar dates. */
export function dayDifference(a: string, b: string): number | undefined {
  const da = dayNumber(a);
  const db = dayNumber(b);
  return da === undefined || db === undefined ? undefined : Math.abs(da - db);
}

/** Compares two YYYYMMDD dates; see {@link DateAgreement} for the categories. */
export function compareDates(a: string, b: string): DateAgreement {
  if (a === b) return 'exact';
  const sameYear = a.slice(0, 4) === b.slice(0, 4);
  if (sameYear && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)) {
    return 'swapped-day-month';
  }
  const edits = osaDistance(a, b);
  if (edits <= 1) return 'one-edit';
  const days = dayDifference(a, b);
  if (days !== undefined && days <= 365) return 'within-year';
  if (edits === 2) return 'two-edits';
  return sameYear ? 'same-year' : 'different';
}
