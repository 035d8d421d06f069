import { describe, expect, it } from 'vitest';
import { nextFire, parseCron } from './cron.js';

function next(expression: string, after: string): string | undefined {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.message);
  return nextFire(parsed.cron, new Date(after))?.toISOString();
}

describe('cron', () => {
  it.each([
    ['* * * * *', '2026-03-01T10:15:30.000Z', '2026-03-01T10:16:00.000Z'],
    ['*/15 * * * *', '2026-03-01T10:15:00.000Z', '2026-03-01T10:30:00.000Z'],
    ['0 9 * * *', '2026-03-01T10:00:00.000Z', '2026-03-02T09:00:00.000Z'],
    ['30 8 * * 1-5', '2026-03-06T09:00:00.000Z', '2026-03-09T08:30:00.000Z'],
    ['0 0 1 * *', '2026-01-31T12:00:00.000Z', '2026-02-01T00:00:00.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00.000Z', '2028-02-29T00:00:00.000Z'],
    ['0 12 * * 7', '2026-03-02T00:00:00.000Z', '2026-03-08T12:00:00.000Z'],
    ['0 0 13 * 5', '2026-03-01T00:00:00.000Z', '2026-03-06T00:00:00.000Z'],
    ['5,10 1-2 * 12 *', '2026-03-01T00:00:00.000Z', '2026-12-01T01:05:00.000Z'],
    ['0-30/10 6 * * *', '2026-03-01T06:21:00.000Z', '2026-03-01T06:30:00.000Z'],
  ])('%s after %s is %s', (expression, after, expected) => {
    expect(next(expression, after)).toBe(expected);
  });

  it('finds nothing for a date that never comes', () => {
    expect(next('0 0 31 2 *', '2026-01-01T00:00:00.000Z')).toBeUndefined();
  });

  it.each([
    ['* * * *', 'expected 5 fields'],
    ['60 * * * *', 'minute'],
    ['* 24 * * *', 'hour'],
    ['* * 0 * *', 'day of month'],
    ['* * * 13 *', 'month'],
    ['* * * * 8', 'day of week'],
    ['*/0 * * * *', 'step'],
    ['a * * * *', 'minute'],
    ['5-1 * * * *', 'minute'],
  ])('refuses %s', (expression, message) => {
    const parsed = parseCron(expression);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});
