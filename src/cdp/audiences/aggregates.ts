import type { Aggregation, EventStep, Filter } from './definition.js';
import { matchesAll, readPath } from './filters.js';

/**
 * Incremental aggregates behind computed traits (and behind the event conditions of audiences,
 * which compile to hidden counters). Each (profile, trait) pair keeps a small JSON state that
 * one event updates in O(1) (O(log n) for windowed traits), so streaming never rescans history.
 *
 * - Without a rolling window the state is the aggregate itself (count, sum, min, max, first and
 *   last by event time, value frequencies).
 * - With a rolling window the state keeps the matching (time, value) entries still inside the
 *   window; the value is folded from them at evaluation time, and the state reports when its
 *   oldest entry leaves the window (`expiresAt`) so a timer can recompute then.
 *
 * Values are defined independently of arrival order wherever it matters (first/last compare
 * event time then log position; unique lists are sorted), so a replay of the same history gives
 * the same value as streaming did.
 */

/** A compiled trait: what to match and how to aggregate. */
export type TraitSpec =
  | {
      kind: 'aggregate';
      id: string;
      aggregation: Aggregation;
      event?: string | undefined;
      property?: string | undefined;
      where: Filter[];
      /** Rolling window length in ms. */
      windowMs?: number | undefined;
      /** Absolute range of event times [from, to), in ms. */
      range?: { from: number; to: number } | undefined;
    }
  | { kind: 'funnel'; id: string; first: EventStep; second: EventStep; withinMs: number };

/** The slice of an event aggregates look at. */
export interface AggregateEvent {
  seq: number;
  type: string;
  event: string | null;
  /** Event time in ms. */
  at: number;
  properties: Record<string, unknown>;
}

type Entry = [at: number, seq: number, value: unknown];

interface PlainState {
  n: number;
  sum: number;
  nums: number;
  min: number | null;
  max: number | null;
  first: Entry | null;
  last: Entry | null;
  /** JSON of a value -> occurrences; capped at `maxDistinct` keys. */
  freq: Record<string, number>;
}

interface WindowState {
  entries: Entry[];
}

interface FunnelState {
  a: number[];
  b: number[];
}

export type TraitState = PlainState | WindowState | FunnelState;

const maxDistinct = 1000;
// A bound on memory per profile and trait: beyond it the oldest entries go first.
export const maxEntries = 10_000;

const emptyPlain = (): PlainState => ({
  n: 0,
  sum: 0,
  nums: 0,
  min: null,
  max: null,
  first: null,
  last: null,
  freq: {},
});

/** The state of a trait that has seen no event. */
export function emptyState(spec: TraitSpec): TraitState {
  if (spec.kind === 'funnel') return { a: [], b: [] };
  return spec.windowMs !== undefined ? { entries: [] } : emptyPlain();
}

const before = (x: Entry, y: Entry) => x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);

function foldPlain(s: PlainState, e: Entry): void {
  s.n++;
  const v = e[2];
  if (typeof v === 'number' && Number.isFinite(v)) {
    s.sum += v;
    s.nums++;
    s.min = s.min === null ? v : Math.min(s.min, v);
    s.max = s.max === null ? v : Math.max(s.max, v);
  }
  if (v !== undefined) {
    if (s.first === null || before(e, s.first)) s.first = e;
    if (s.last === null || before(s.last, e)) s.last = e;
    const key = JSON.stringify(v);
    if (key.length <= 500 && (key in s.freq || Object.keys(s.freq).length < maxDistinct))
      s.freq[key] = (s.freq[key] ?? 0) + 1;
  }
}

const matchesStep = (step: EventStep, e: AggregateEvent) =>
  e.type === 'track' && e.event === step.event && matchesAll(e.properties, step.where);

/** Whether this event changes the trait at all (cheap pre-check before loading state). */
export function traitMatches(spec: TraitSpec, e: AggregateEvent): boolean {
  if (spec.kind === 'funnel') return matchesStep(spec.first, e) || matchesStep(spec.second, e);
  if (e.type !== 'track') return false;
  if (spec.event !== undefined && e.event !== spec.event) return false;
  if (spec.range && (e.at < spec.range.from || e.at >= spec.range.to)) return false;
  return matchesAll(e.properties, spec.where);
}

/**
 * Folds one event into a state (mutating it). `now` drops events already outside a rolling
 * window, so late arrivals never count. Returns whether the state changed.
 */
export function applyEvent(
  spec: TraitSpec,
  state: TraitState,
  e: AggregateEvent,
  now: number,
): boolean {
  if (!traitMatches(spec, e)) return false;
  if (spec.kind === 'funnel') {
    const f = state as FunnelState;
    const lists: [boolean, number[]][] = [
      [matchesStep(spec.first, e), f.a],
      [matchesStep(spec.second, e), f.b],
    ];
    for (const [hit, list] of lists) {
      if (!hit) continue;
      insertSorted(list, e.at);
      if (list.length > maxDistinct) list.shift();
    }
    return true;
  }
  const value = spec.property === undefined ? null : readPath(e.properties, spec.property);
  const entry: Entry = [e.at, e.seq, value === undefined ? undefined : value];
  if (spec.windowMs !== undefined) {
    if (e.at <= now - spec.windowMs) return false;
    const w = state as WindowState;
    w.entries.push(entry);
    if (w.entries.length > maxEntries) {
      w.entries.sort((x, y) => (before(x, y) ? -1 : 1));
      w.entries.shift();
    }
    return true;
  }
  foldPlain(state as PlainState, entry);
  return true;
}

function insertSorted(list: number[], v: number): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as number) > v) i--;
  list.splice(i, 0, v);
}

/** Drops window entries that left the window by `now`; returns whether any did. */
export function prune(spec: TraitSpec, state: TraitState, now: number): boolean {
  if (spec.kind !== 'aggregate' || spec.windowMs === undefined) return false;
  const w = state as WindowState;
  const horizon = now - spec.windowMs;
  const kept = w.entries.filter((x) => x[0] > horizon);
  const changed = kept.length !== w.entries.length;
  w.entries = kept;
  return changed;
}

/** When the value may next change without any new event (a window entry expiring), in ms. */
export function expiresAt(spec: TraitSpec, state: TraitState): number | null {
  if (spec.kind !== 'aggregate' || spec.windowMs === undefined) return null;
  const w = state as WindowState;
  if (w.entries.length === 0) return null;
  let oldest = Number.POSITIVE_INFINITY;
  for (const x of w.entries) oldest = Math.min(oldest, x[0]);
  return oldest + spec.windowMs;
}

/** Whether a state holds nothing (such states need not be stored). */
export function isEmpty(spec: TraitSpec, state: TraitState): boolean {
  if (spec.kind === 'funnel')
    return (state as FunnelState).a.length + (state as FunnelState).b.length === 0;
  if (spec.windowMs !== undefined) return (state as WindowState).entries.length === 0;
  return (state as PlainState).n === 0;
}

/** The trait's value from its state (call `prune` first for the current time). */
export function traitValue(spec: TraitSpec, state: TraitState): unknown {
  if (spec.kind === 'funnel') {
    const f = state as FunnelState;
    // Some first step at a, then a second step at b with a <= b <= a + within.
    return f.b.some((b) => f.a.some((a) => a <= b && b - a <= spec.withinMs));
  }
  let s: PlainState;
  if (spec.windowMs !== undefined) {
    s = emptyPlain();
    const entries = [...(state as WindowState).entries].sort((x, y) => (before(x, y) ? -1 : 1));
    for (const e of entries) foldPlain(s, e);
  } else s = state as PlainState;
  switch (spec.aggregation) {
    case 'count':
      return s.n;
    case 'sum':
      return s.sum;
    case 'avg':
      return s.nums === 0 ? null : s.sum / s.nums;
    case 'min':
      return s.min;
    case 'max':
      return s.max;
    case 'first':
      return s.first ? s.first[2] : null;
    case 'last':
      return s.last ? s.last[2] : null;
    case 'unique_count':
      return Object.keys(s.freq).length;
    case 'unique_list':
      return Object.keys(s.freq)
        .sort()
        .map((k) => JSON.parse(k) as unknown);
    case 'most_frequent': {
      let best: string | null = null;
      let count = 0;
      for (const k of Object.keys(s.freq).sort()) {
        const c = s.freq[k] ?? 0;
        if (c > count) {
          best = k;
          count = c;
        }
      }
      return best === null ? null : (JSON.parse(best) as unknown);
    }
  }
}
