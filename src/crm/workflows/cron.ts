/**
 * A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
 * Fields accept `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`, and comma lists; day of
 * week runs 0-7 with both 0 and 7 meaning Sunday. As in classic cron, when both day fields are
 * restricted a day matches if either does.
 */
export interface Cron {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  anyDay: boolean;
  anyWeekday: boolean;
}

export type CronParse = { ok: true; cron: Cron } | { ok: false; message: string };

const fields = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function parseField(text: string, min: number, max: number): Set<number> | string {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return `"${part}" is not a number, range, list or step`;
    const [, all, a, b, s] = match;
    let from = min;
    let to = max;
    if (all !== '*') {
      from = Number(a);
      to = b === undefined ? (s === undefined ? from : max) : Number(b);
    }
    const step = s === undefined ? 1 : Number(s);
    if (from < min || to > max || from > to) return `"${part}" is outside ${min}-${max}`;
    if (step < 1) return `"${part}" has a step below 1`;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string): CronParse {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    return { ok: false, message: `expected 5 fields, got ${parts.length}` };
  }
  const sets: Set<number>[] = [];
  for (const [i, spec] of fields.entries()) {
    const parsed = parseField(parts[i] ?? '', spec.min, spec.max);
    if (typeof parsed === 'string') return { ok: false, message: `${spec.name}: ${parsed}` };
    sets.push(parsed);
  }
  const [minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekdays.has(7)) weekdays.add(0);
  return {
    ok: true,
    cron: {
      minutes,
      hours,
      days,
      months,
      weekdays,
      anyDay: parts[2] === '*',
      anyWeekday: parts[4] === '*',
    },
  };
}

function dayMatches(cron: Cron, date: Date): boolean {
  const dom = cron.days.has(date.getUTCDate());
  const dow = cron.weekdays.has(date.getUTCDay());
  if (cron.anyDay && cron.anyWeekday) return true;
  if (cron.anyDay) return dow;
  if (cron.anyWeekday) return dom;
  return dom || dow;
}

/**
 * The first minute strictly after `after` that the expression matches, or undefined when none
 * comes within five years (e.g. `0 0 31 2 *`). Skips whole months, days and hours that cannot
 * match, so a search costs at most a few thousand steps.
 */
export function nextFire(cron: Cron, after: Date): Date | undefined {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!cron.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(cron, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!cron.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!cron.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else {
      return t;
    }
  }
  return undefined;
}
