/** Time as a dependency, so retention, expiry and windows can be tested without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export function manualClock(start: Date | string = '2026-01-01T00:00:00.000Z') {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    set(to: Date | string) {
      current = new Date(to).getTime();
    },
  };
}

/** Timestamps are stored as ISO-8601 UTC text with milliseconds: sortable and portable. */
export function iso(date: Date): string {
  return date.toISOString();
}
