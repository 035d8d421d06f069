import type { ErrorDetail } from '../../kernel/errors.js';

/**
 * Business-time arithmetic for SLA clocks. Hours are weekday ranges in local wall time of a
 * zone (an IANA name such as `Europe/Paris`, resolved with Intl so daylight saving is right,
 * or a fixed offset such as `+02:00`). A range whose end is not after its start runs
 * overnight into the next day (`22:00`–`06:00`). Every function works on epoch milliseconds.
 */
export interface BusinessHours {
  timezone: string;
  /** `day` is ISO: 1 = Monday … 7 = Sunday; times are `HH:MM` (`24:00` allowed as an end). */
  hours: { day: number; start: string; end: string }[];
}

export type Interval = [number, number];

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

const timePattern = /^([01]\d|2[0-4]):([0-5]\d)$/;

function minutesOf(time: string): number {
  const m = timePattern.exec(time);
  if (!m) return Number.NaN;
  const total = Number(m[1]) * 60 + Number(m[2]);
  return total > 24 * 60 ? Number.NaN : total;
}

const fixedOffset = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})$/;

function isValidZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Z' || fixedOffset.test(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Problems with a business-hours definition, each naming the field (empty when valid). */
export function validateBusinessHours(bh: BusinessHours, field = 'businessHours'): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  if (!isValidZone(bh.timezone)) {
    errors.push({
      field: `${field}.timezone`,
      message: `${bh.timezone} is neither an IANA time zone nor an offset like +02:00`,
    });
  }
  if (bh.hours.length === 0) {
    errors.push({ field: `${field}.hours`, message: 'at least one range is needed' });
  }
  bh.hours.forEach((h, i) => {
    const at = `${field}.hours[${i}]`;
    if (!Number.isInteger(h.day) || h.day < 1 || h.day > 7) {
      errors.push({ field: `${at}.day`, message: 'must be 1 (Monday) to 7 (Sunday)' });
    }
    const start = minutesOf(h.start);
    const end = minutesOf(h.end);
    if (Number.isNaN(start) || start >= 24 * 60) {
      errors.push({ field: `${at}.start`, message: 'must be HH:MM between 00:00 and 23:59' });
    }
    if (Number.isNaN(end)) errors.push({ field: `${at}.end`, message: 'must be HH:MM' });
  });
  return errors;
}

function offsetMs(zone: string, instant: number): number {
  if (zone === 'UTC' || zone === 'Z') return 0;
  const fixed = fixedOffset.exec(zone);
  if (fixed) {
    const sign = fixed[1] === '-' ? -1 : 1;
    return sign * (Number(fixed[2]) * 60 + Number(fixed[3])) * minuteMs;
  }
  const parts = zoneFormat(zone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour') % 24,
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/** The instant a local wall time names (`localMs` is the wall time read as if it were UTC). */
function localToUtc(zone: string, localMs: number): number {
  const first = localMs - offsetMs(zone, localMs);
  return localMs - offsetMs(zone, first);
}

/** The local calendar day (as UTC midnight of that date) an instant falls on. */
function localDay(zone: string, instant: number): number {
  const local = instant + offsetMs(zone, instant);
  return Math.floor(local / dayMs) * dayMs;
}

/** Sorts and merges overlapping or touching intervals. */
export function normalize(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Interval[] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Business intervals that intersect [from, to), clipped to it. */
export function businessIntervals(bh: BusinessHours, from: number, to: number): Interval[] {
  if (to <= from) return [];
  const out: Interval[] = [];
  // Start a day early: yesterday's overnight range may still be running at `from`.
  for (
    let day = localDay(bh.timezone, from) - dayMs;
    day <= localDay(bh.timezone, to);
    day += dayMs
  ) {
    const isoDay = ((new Date(day).getUTCDay() + 6) % 7) + 1;
    for (const h of bh.hours) {
      if (h.day !== isoDay) continue;
      const start = minutesOf(h.start);
      let end = minutesOf(h.end);
      if (end <= start) end += 24 * 60;
      const a = localToUtc(bh.timezone, day + start * minuteMs);
      const b = localToUtc(bh.timezone, day + end * minuteMs);
      const clipped: Interval = [Math.max(a, from), Math.min(b, to)];
      if (clipped[1] > clipped[0]) out.push(clipped);
    }
  }
  return normalize(out);
}

/** `base` minus every interval of `holes` (both normalized). */
export function subtract(base: Interval[], holes: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [a0, b] of base) {
    let a = a0;
    for (const [h0, h1] of holes) {
      if (h1 <= a || h0 >= b) continue;
      if (h0 > a) out.push([a, h0]);
      a = Math.max(a, h1);
      if (a >= b) break;
    }
    if (a < b) out.push([a, b]);
  }
  return out;
}

const total = (intervals: Interval[]) => intervals.reduce((s, [a, b]) => s + (b - a), 0);

/** Business milliseconds between two instants, paused intervals excluded. */
export function businessMsBetween(
  bh: BusinessHours,
  from: number,
  to: number,
  paused: Interval[] = [],
): number {
  return total(subtract(businessIntervals(bh, from, to), normalize(paused)));
}

// How far ahead a target may land: a rule with very few business hours still ends in time.
const horizonMs = 3 * 366 * dayMs;
const stepMs = 14 * dayMs;

/**
 * The instant at which `amountMs` of business time (paused intervals excluded) has elapsed
 * since `from`. Undefined when the hours never add up to it within three years.
 */
export function addBusinessMs(
  bh: BusinessHours,
  from: number,
  amountMs: number,
  paused: Interval[] = [],
): number | undefined {
  const holes = normalize(paused);
  let left = amountMs;
  if (left <= 0) return from;
  for (let start = from; start < from + horizonMs; start += stepMs) {
    for (const [a, b] of subtract(businessIntervals(bh, start, start + stepMs), holes)) {
      if (b - a >= left) return a + left;
      left -= b - a;
    }
  }
  return undefined;
}

/** Business minutes in one week of these hours (zero means no target can ever be met). */
export function weeklyMinutes(bh: BusinessHours): number {
  let sum = 0;
  for (const h of bh.hours) {
    const start = minutesOf(h.start);
    let end = minutesOf(h.end);
    if (end <= start) end += 24 * 60;
    sum += end - start;
  }
  return sum;
}
