/** Time bucketing shared by the rollups and the queries (all UTC). */

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

export type Interval = 'hour' | 'day' | 'week';

// Formatting dates dominates folding a batch; a batch spans few hours and weeks, so the last
// answers are kept.
const hourNames = new Map<number, string>();
const weekNames = new Map<number, string>();
const remember = (cache: Map<number, string>, key: number, make: () => string) => {
  let name = cache.get(key);
  if (name === undefined) {
    if (cache.size > 10_000) cache.clear();
    name = make();
    cache.set(key, name);
  }
  return name;
};

/** Start of the hour, ISO. */
export function hourOf(ms: number): string {
  const hour = Math.floor(ms / hourMs);
  return remember(hourNames, hour, () => new Date(hour * hourMs).toISOString());
}

/** Monday 00:00 UTC of the ISO week holding `ms`, as epoch ms. */
export function weekStartMs(ms: number): number {
  const day = Math.floor(ms / dayMs) * dayMs;
  // 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays.
  const weekday = (Math.floor(day / dayMs) + 3) % 7;
  return day - weekday * dayMs;
}

/** Monday of the week, `YYYY-MM-DD`. */
export function weekOf(ms: number): string {
  const week = weekStartMs(ms);
  return remember(weekNames, week, () => new Date(week).toISOString().slice(0, 10));
}

/** Start of the bucket holding `ms`, epoch ms. */
export function bucketStart(ms: number, interval: Interval): number {
  if (interval === 'hour') return Math.floor(ms / hourMs) * hourMs;
  if (interval === 'day') return Math.floor(ms / dayMs) * dayMs;
  return weekStartMs(ms);
}

export function nextBucket(ms: number, interval: Interval): number {
  return ms + (interval === 'hour' ? hourMs : interval === 'day' ? dayMs : 7 * dayMs);
}

export const weekMs = 7 * dayMs;
export { dayMs, hourMs };
