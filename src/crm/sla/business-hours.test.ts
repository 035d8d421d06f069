import { describe, expect, it } from 'vitest';
import {
  addBusinessMs,
  type BusinessHours,
  businessMsBetween,
  validateBusinessHours,
  weeklyMinutes,
} from './business-hours.js';

const t = (s: string) => Date.parse(s);
const h = (n: number) => n * 3_600_000;
const weekdays = (timezone: string, start = '09:00', end = '17:00'): BusinessHours => ({
  timezone,
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, start, end })),
});
const utc9to5 = weekdays('UTC');
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

// 2026-01-02 is a Friday, 2026-01-05 a Monday.
describe('business-time arithmetic', () => {
  it('skips the weekend', () => {
    expect(iso(addBusinessMs(utc9to5, t('2026-01-02T16:00:00Z'), h(2)))).toBe(
      '2026-01-05T10:00:00.000Z',
    );
    expect(businessMsBetween(utc9to5, t('2026-01-02T16:00:00Z'), t('2026-01-05T10:00:00Z'))).toBe(
      h(2),
    );
    // Saturday to Sunday night: no business time at all.
    expect(businessMsBetween(utc9to5, t('2026-01-03T00:00:00Z'), t('2026-01-05T00:00:00Z'))).toBe(
      0,
    );
  });

  it('carries over night and starts a clock opened outside hours at the next opening', () => {
    expect(iso(addBusinessMs(utc9to5, t('2026-01-05T16:30:00Z'), h(1)))).toBe(
      '2026-01-06T09:30:00.000Z',
    );
    expect(iso(addBusinessMs(utc9to5, t('2026-01-05T20:00:00Z'), h(3)))).toBe(
      '2026-01-06T12:00:00.000Z',
    );
    // A full business week is 40 hours: Monday 09:00 + 40h ends Friday 17:00.
    expect(iso(addBusinessMs(utc9to5, t('2026-01-05T09:00:00Z'), h(40)))).toBe(
      '2026-01-09T17:00:00.000Z',
    );
  });

  it('handles ranges that run past midnight', () => {
    const nights: BusinessHours = {
      timezone: 'UTC',
      hours: [{ day: 1, start: '22:00', end: '06:00' }],
    };
    expect(weeklyMinutes(nights)).toBe(8 * 60);
    expect(iso(addBusinessMs(nights, t('2026-01-05T21:00:00Z'), h(1)))).toBe(
      '2026-01-05T23:00:00.000Z',
    );
    expect(iso(addBusinessMs(nights, t('2026-01-05T21:00:00Z'), h(8)))).toBe(
      '2026-01-06T06:00:00.000Z',
    );
    // Tuesday 05:00-07:00 is still inside Monday night's range for its first hour.
    expect(businessMsBetween(nights, t('2026-01-06T05:00:00Z'), t('2026-01-06T07:00:00Z'))).toBe(
      h(1),
    );
    // The next range is a week later.
    expect(iso(addBusinessMs(nights, t('2026-01-05T22:00:00Z'), h(9)))).toBe(
      '2026-01-12T23:00:00.000Z',
    );
  });

  it('excludes paused intervals', () => {
    const paused: [number, number][] = [[t('2026-01-05T10:00:00Z'), t('2026-01-05T12:00:00Z')]];
    expect(iso(addBusinessMs(utc9to5, t('2026-01-05T09:00:00Z'), h(4), paused))).toBe(
      '2026-01-05T15:00:00.000Z',
    );
    expect(
      businessMsBetween(utc9to5, t('2026-01-05T09:00:00Z'), t('2026-01-05T17:00:00Z'), paused),
    ).toBe(h(6));
    // A pause over the weekend changes nothing; one across the night only removes business time.
    const overnight: [number, number][] = [[t('2026-01-05T16:00:00Z'), t('2026-01-06T10:00:00Z')]];
    expect(
      businessMsBetween(utc9to5, t('2026-01-05T09:00:00Z'), t('2026-01-06T17:00:00Z'), overnight),
    ).toBe(h(7 + 7));
  });

  it('follows an IANA zone, daylight saving included', () => {
    const paris = weekdays('Europe/Paris');
    // January: Paris is UTC+1, so 09:00 local is 08:00Z.
    expect(iso(addBusinessMs(paris, t('2026-01-05T07:00:00Z'), h(1)))).toBe(
      '2026-01-05T09:00:00.000Z',
    );
    // July: UTC+2, so 09:00 local is 07:00Z.
    expect(iso(addBusinessMs(paris, t('2026-07-06T06:00:00Z'), h(1)))).toBe(
      '2026-07-06T08:00:00.000Z',
    );
    // The day clocks go forward (Sunday 29 March 2026) has 23 hours.
    const allDay: BusinessHours = {
      timezone: 'Europe/Paris',
      hours: [{ day: 7, start: '00:00', end: '24:00' }],
    };
    expect(businessMsBetween(allDay, t('2026-03-28T00:00:00Z'), t('2026-03-30T00:00:00Z'))).toBe(
      h(23),
    );
  });

  it('follows a fixed offset', () => {
    const ny = weekdays('-05:00');
    expect(iso(addBusinessMs(ny, t('2026-01-05T00:00:00Z'), h(1)))).toBe(
      '2026-01-05T15:00:00.000Z',
    );
  });

  it('gives up on hours that never add up', () => {
    expect(addBusinessMs({ timezone: 'UTC', hours: [] }, 0, h(1))).toBeUndefined();
  });

  it('names each invalid field', () => {
    const errors = validateBusinessHours({
      timezone: 'Mars/Olympus',
      hours: [{ day: 8, start: '9am', end: '25:00' }],
    });
    expect(errors.map((e) => e.field)).toEqual([
      'businessHours.timezone',
      'businessHours.hours[0].day',
      'businessHours.hours[0].start',
      'businessHours.hours[0].end',
    ]);
    expect(validateBusinessHours(utc9to5)).toEqual([]);
  });
});
