import type { Deps } from '../../kernel/deps.js';
import { AppError, badRequest } from '../../kernel/errors.js';
import * as repo from './insight.repository.js';
import {
  bucketStart,
  dayMs,
  hourMs,
  type Interval,
  nextBucket,
  weekMs,
  weekOf,
  weekStartMs,
} from './time.js';

type Db = Pick<Deps, 'db' | 'clock'>;

const maxBuckets = 5000;
const defaultRangeDays = 30;

/** Resolves `from`/`to` (ISO, optional) to a validated half-open range in epoch ms. */
export function parseRange(
  deps: Db,
  input: { from?: string | undefined; to?: string | undefined },
  defaultDays = defaultRangeDays,
): { fromMs: number; toMs: number } {
  const parse = (value: string | undefined, field: string) => {
    if (value === undefined) return undefined;
    const ms = Date.parse(value);
    if (Number.isNaN(ms))
      throw badRequest(`${field} is not a date`, [{ field, message: 'must be an ISO date-time' }]);
    return ms;
  };
  const toMs = parse(input.to, 'to') ?? deps.clock.now().getTime();
  const fromMs = parse(input.from, 'from') ?? toMs - defaultDays * dayMs;
  if (fromMs >= toMs)
    throw badRequest('from must be before to', [{ field: 'from', message: 'must be before to' }]);
  return { fromMs, toMs };
}

/** The audience named by ID or key, or a 404 that says which. */
export async function audienceFilter(deps: Db, idOrKey: string | undefined) {
  if (idOrKey === undefined) return undefined;
  const audience = await repo.findAudience(deps.db, idOrKey);
  if (!audience) throw new AppError('not_found', `No audience is known by "${idOrKey}"`);
  return audience;
}

export interface VolumeSeries {
  name: string;
  sourceId: string;
  total: number;
  counts: number[];
}

export interface Volume {
  interval: Interval;
  from: string;
  to: string;
  audience: string | null;
  buckets: string[];
  totals: number[];
  total: number;
  series: VolumeSeries[];
}

/**
 * Event volume per bucket, split by name and source. The range is widened to whole hours
 * (the rollup's grain); day and week buckets are UTC, weeks start on Monday.
 */
export async function eventVolume(
  deps: Db,
  input: {
    interval?: Interval | undefined;
    from?: string | undefined;
    to?: string | undefined;
    event?: string | undefined;
    sourceId?: string | undefined;
    audience?: string | undefined;
  },
): Promise<Volume> {
  const interval = input.interval ?? 'day';
  const range = parseRange(deps, input);
  const fromMs = Math.floor(range.fromMs / hourMs) * hourMs;
  const toMs = Math.ceil(range.toMs / hourMs) * hourMs;
  const starts: number[] = [];
  for (let b = bucketStart(fromMs, interval); b < toMs; b = nextBucket(b, interval)) {
    starts.push(b);
    if (starts.length > maxBuckets)
      throw badRequest(`The range holds more than ${maxBuckets} ${interval} buckets`, [
        { field: 'interval', message: 'use a longer interval or a shorter range' },
      ]);
  }
  const audience = await audienceFilter(deps, input.audience);
  const rows = await repo.volumeRows(deps.db, {
    fromMs,
    toMs,
    name: input.event,
    sourceId: input.sourceId,
    audienceId: audience?.id,
    byDay: interval !== 'hour',
  });
  const index = new Map(starts.map((s, i) => [s, i]));
  const totals = starts.map(() => 0);
  const series = new Map<string, VolumeSeries>();
  for (const r of rows) {
    const i = index.get(bucketStart(r.startMs, interval));
    if (i === undefined) continue;
    const key = `${r.name}\u0000${r.sourceId}`;
    let s = series.get(key);
    if (!s) {
      s = { name: r.name, sourceId: r.sourceId, total: 0, counts: starts.map(() => 0) };
      series.set(key, s);
    }
    s.counts[i] = (s.counts[i] ?? 0) + r.count;
    s.total += r.count;
    totals[i] = (totals[i] ?? 0) + r.count;
  }
  return {
    interval,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    audience: audience?.id ?? null,
    buckets: starts.map((s) => new Date(s).toISOString()),
    totals,
    total: totals.reduce((a, b) => a + b, 0),
    series: [...series.values()].sort(
      (a, b) =>
        b.total - a.total || a.name.localeCompare(b.name) || a.sourceId.localeCompare(b.sourceId),
    ),
  };
}

export interface Funnel {
  from: string;
  to: string;
  windowHours: number;
  audience: string | null;
  steps: { event: string; count: number; conversion: number; fromPrevious: number }[];
}

export async function funnel(
  deps: Db,
  input: {
    steps: { event: string }[];
    windowHours: number;
    from?: string | undefined;
    to?: string | undefined;
    audience?: string | undefined;
  },
): Promise<Funnel> {
  if (input.steps.length < 2)
    throw badRequest('A funnel needs at least 2 steps', [
      { field: '/steps', message: 'must hold 2 to 10 steps' },
    ]);
  const range = parseRange(deps, input);
  const audience = await audienceFilter(deps, input.audience);
  const counts = await repo.funnelCounts(deps.db, {
    steps: input.steps.map((s) => s.event),
    windowMs: input.windowHours * hourMs,
    fromMs: range.fromMs,
    toMs: range.toMs,
    audienceId: audience?.id,
  });
  const first = counts[0] ?? 0;
  const ratio = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10000) / 10000);
  return {
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
    windowHours: input.windowHours,
    audience: audience?.id ?? null,
    steps: input.steps.map((s, i) => ({
      event: s.event,
      count: counts[i] ?? 0,
      conversion: ratio(counts[i] ?? 0, first),
      fromPrevious: i === 0 ? (first === 0 ? 0 : 1) : ratio(counts[i] ?? 0, counts[i - 1] ?? 0),
    })),
  };
}

export interface Retention {
  from: string;
  to: string;
  weeks: number;
  audience: string | null;
  cohorts: { cohort: string; size: number; retained: number[]; rates: number[] }[];
}

/**
 * Weekly retention by first-seen week: for each cohort week in range, how many of its profiles
 * were active (any event) 0, 1, ... `weeks` weeks later. Week 0 is the cohort's size; weeks
 * that have not happened yet (after `to`) are left out.
 */
export async function retention(
  deps: Db,
  input: {
    from?: string | undefined;
    to?: string | undefined;
    weeks?: number | undefined;
    audience?: string | undefined;
  },
): Promise<Retention> {
  const range = parseRange(deps, input, 8 * 7);
  const weeks = input.weeks ?? 8;
  const fromWeek = weekStartMs(range.fromMs);
  const toWeek = weekStartMs(range.toMs - 1) + weekMs;
  const cohortCount = Math.round((toWeek - fromWeek) / weekMs);
  if (cohortCount > 260)
    throw badRequest('The range holds more than 260 cohort weeks', [
      { field: 'from', message: 'use a shorter range' },
    ]);
  const audience = await audienceFilter(deps, input.audience);
  const rows = await repo.retentionRows(deps.db, {
    fromWeek: weekOf(fromWeek),
    toWeek: weekOf(toWeek),
    audienceId: audience?.id,
  });
  const cell = new Map(rows.map((r) => [`${r.cohort}|${r.week}`, r.n]));
  const cohorts: Retention['cohorts'] = [];
  for (let c = fromWeek; c < toWeek; c += weekMs) {
    const cohort = weekOf(c);
    const size = cell.get(`${cohort}|${cohort}`) ?? 0;
    const retained: number[] = [];
    for (let k = 0; k <= weeks; k++) {
      const week = c + k * weekMs;
      if (week >= range.toMs) break;
      retained.push(cell.get(`${cohort}|${weekOf(week)}`) ?? 0);
    }
    cohorts.push({
      cohort,
      size,
      retained,
      rates: retained.map((n) => (size === 0 ? 0 : Math.round((n / size) * 10000) / 10000)),
    });
  }
  return {
    from: weekOf(fromWeek),
    to: weekOf(toWeek),
    weeks,
    audience: audience?.id ?? null,
    cohorts,
  };
}

export interface AudienceHistory {
  audience: { id: string; key: string; name: string; size: number };
  from: string;
  to: string;
  days: { day: string; size: number; entered: number; exited: number }[];
}

/**
 * Audience size at the end of each UTC day, replayed from the membership history (every entry
 * and exit is logged with its time, so no snapshots are needed and past days are exact).
 */
export async function audienceHistory(
  deps: Db,
  idOrKey: string,
  input: { from?: string | undefined; to?: string | undefined },
): Promise<AudienceHistory> {
  const audience = await audienceFilter(deps, idOrKey);
  if (!audience) throw new AppError('not_found', `No audience is known by "${idOrKey}"`);
  const range = parseRange(deps, input);
  const firstDay = Math.floor(range.fromMs / dayMs) * dayMs;
  if ((range.toMs - firstDay) / dayMs > 3660)
    throw badRequest('The range holds more than 3660 days', [
      { field: 'from', message: 'use a shorter range' },
    ]);
  const byDay = await repo.membershipByDay(deps.db, audience.id);
  const days: AudienceHistory['days'] = [];
  let size = 0;
  let i = 0;
  const firstKey = new Date(firstDay).toISOString().slice(0, 10);
  // Everything before the range only sets the starting size.
  while (i < byDay.length && (byDay[i]?.day ?? '') < firstKey) {
    const d = byDay[i++];
    if (d) size += d.entered - d.exited;
  }
  for (let day = firstDay; day < range.toMs; day += dayMs) {
    const key = new Date(day).toISOString().slice(0, 10);
    let entered = 0;
    let exited = 0;
    const d = byDay[i];
    if (d && d.day === key) {
      entered = d.entered;
      exited = d.exited;
      i++;
    }
    size += entered - exited;
    days.push({ day: key, size, entered, exited });
  }
  return {
    audience: {
      id: audience.id,
      key: audience.key,
      name: audience.name,
      size: Number(audience.size),
    },
    from: firstKey,
    to: new Date(range.toMs).toISOString(),
    days,
  };
}
