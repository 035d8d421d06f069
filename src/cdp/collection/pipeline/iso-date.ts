/**
 * Strict ISO-8601 date parsing. `Date.parse` accepts engine-specific formats ("March 7",
 * "2026") and reads offset-less date-times as server local time, so it is not used.
 *
 * Accepted: `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:mm`, `HH:mm:ss` or
 * `HH:mm:ss.fraction` (any number of digits, truncated to milliseconds), optionally followed
 * by `Z` or an offset `±HH`, `±HHmm`, `±HH:mm`. A time without an offset is read as UTC, the
 * only reading that does not depend on where the server runs. Calendar fields are range-checked
 * (no February 30th, no hour 24, no leap second 60).
 */
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Parses a strict ISO-8601 string to epoch milliseconds, or `null` when it is not one. */
export function parseIsoTimestamp(text: string): number | null {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const offsetMinutes = parseOffset(zone);
  if (offsetMinutes === null) return null;

  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - offsetMinutes * 60_000;
}

function parseOffset(zone: string): number | null {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}
