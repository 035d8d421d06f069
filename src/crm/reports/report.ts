/** Pure pieces of the sales reports: grouping, periods, medians. */

export const groupings = ['owner', 'team', 'pipeline', 'stage', 'month'] as const;
export type GroupBy = (typeof groupings)[number];

export interface ReportRow {
  key: string | null;
  label: string | null;
  [metric: string]: unknown;
}

export interface Report {
  groupBy: GroupBy;
  rows: ReportRow[];
  totals: Record<string, unknown>;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

export function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

export const round = (v: number | null, digits = 2): number | null =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

export const ratio = (a: number, b: number): number | null => (b === 0 ? null : round(a / b, 4));

/** `YYYY-MM` (UTC) of an instant. */
export const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/**
 * A period from `from` / `to` query values: `from` is inclusive; `to` is inclusive too, and a
 * bare date (`2026-03-31`) runs to the end of that day.
 */
export function periodOf(from: string | undefined, to: string | undefined) {
  const start = from === undefined ? undefined : Date.parse(from);
  let end = to === undefined ? undefined : Date.parse(to);
  if (end !== undefined && to !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(to)) {
    end += 86_400_000 - 1;
  }
  return {
    start,
    end,
    contains(ms: number | undefined): boolean {
      if (start === undefined && end === undefined) return true;
      if (ms === undefined || Number.isNaN(ms)) return false;
      return (start === undefined || ms >= start) && (end === undefined || ms <= end);
    },
  };
}

/** Groups items by key, keeping first-seen order, then sorts keys (nulls last). */
export function groupBy<T>(items: T[], keyOf: (item: T) => string | null): Map<string | null, T[]> {
  const groups = new Map<string | null, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return new Map(
    [...groups.entries()].sort(([a], [b]) =>
      a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1,
    ),
  );
}
