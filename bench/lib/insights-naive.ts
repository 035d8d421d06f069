import type { Database } from 'better-sqlite3';
import { weekOf } from '../../src/cdp/insights/time.js';

/**
 * The insight figures of bench/insights.ts computed the naive way: straight off the raw
 * `events` table (joined to the identity graph's event placement), with no rollup.
 */
export function naiveFigures(
  sqlite: Database,
  opts: { start: number; days: number; steps: string[]; range: { from: string; to: string } },
): Record<string, () => unknown> {
  const { start, days, steps, range } = opts;
  const end = start + days * 86_400_000;
  const naiveRows = (query: string, ...params: unknown[]) =>
    sqlite.prepare(query).all(...params) as Record<string, unknown>[];
  const dayIndex = (iso: string) => Math.floor((Date.parse(iso) - start) / 86_400_000);
  const volumeNaive = (audience: boolean) => {
    const totals = Array.from({ length: days }, () => 0);
    const rows = audience
      ? naiveRows(
          `select substr(e.timestamp, 1, 10) as d, count(*) as n from events e
           join identity_profile_events p on p.seq = e.seq
           join audience_members m on m.profile_id = p.profile_id and m.audience_id = 'aud_bench'
           where e.timestamp >= ? and e.timestamp < ? group by d`,
          range.from,
          range.to,
        )
      : naiveRows(
          `select substr(timestamp, 1, 10) as d, count(*) as n from events
           where timestamp >= ? and timestamp < ? group by d`,
          range.from,
          range.to,
        );
    for (const r of rows) totals[dayIndex(`${r.d}T00:00:00.000Z`)] = Number(r.n);
    return totals;
  };
  const funnelNaive = (audience: boolean) => {
    const rows = naiveRows(
      `select p.profile_id as id, e.event as name, e.timestamp as ts from events e
       join identity_profile_events p on p.seq = e.seq
       ${audience ? "join audience_members m on m.profile_id = p.profile_id and m.audience_id = 'aud_bench'" : ''}
       where e.event in (?, ?, ?) order by p.profile_id, e.timestamp, e.seq`,
      ...steps,
    );
    const counts = steps.map(() => 0);
    const windowMs = 168 * 3_600_000;
    let i = 0;
    while (i < rows.length) {
      const id = rows[i]?.id;
      const own: { name: string; at: number }[] = [];
      for (; i < rows.length && rows[i]?.id === id; i++)
        own.push({ name: String(rows[i]?.name), at: Date.parse(String(rows[i]?.ts)) });
      const first = own.find((e) => e.name === steps[0] && e.at >= start && e.at < end);
      if (!first) continue;
      counts[0] = (counts[0] ?? 0) + 1;
      let prev = first.at;
      for (let k = 1; k < steps.length; k++) {
        const next = own.find(
          (e) => e.name === steps[k] && e.at >= prev && e.at <= first.at + windowMs,
        );
        if (!next) break;
        counts[k] = (counts[k] ?? 0) + 1;
        prev = next.at;
      }
    }
    return counts;
  };
  const retentionNaive = (audience: boolean) => {
    const rows = naiveRows(
      `select p.profile_id as id, e.timestamp as ts from events e
       join identity_profile_events p on p.seq = e.seq
       ${audience ? "join audience_members m on m.profile_id = p.profile_id and m.audience_id = 'aud_bench'" : ''}`,
    );
    const first = new Map<string, number>();
    const weeks = new Map<string, Set<string>>();
    for (const r of rows) {
      const id = String(r.id);
      const at = Date.parse(String(r.ts));
      if (!(at >= (first.get(id) ?? Number.POSITIVE_INFINITY))) first.set(id, at);
      const w = weeks.get(id) ?? new Set<string>();
      w.add(weekOf(at));
      weeks.set(id, w);
    }
    const cohorts = Array.from({ length: days / 7 }, (_, c) =>
      Array.from({ length: Math.min(13, days / 7 - c) }, () => 0),
    );
    for (const [id, at] of first) {
      const c = Math.floor((Date.parse(weekOf(at)) - start) / (7 * 86_400_000));
      for (const w of weeks.get(id) ?? []) {
        const k = Math.round((Date.parse(w) - Date.parse(weekOf(at))) / (7 * 86_400_000));
        const row = cohorts[c];
        if (row && k < row.length) row[k] = (row[k] ?? 0) + 1;
      }
    }
    return cohorts;
  };
  return {
    'volume by day': () => volumeNaive(false),
    'volume by day, audience': () => volumeNaive(true),
    'volume by hour, 1 event, 7 d': () => {
      const totals = Array.from({ length: 168 }, () => 0);
      for (const r of naiveRows(
        `select substr(timestamp, 1, 13) as h, count(*) as n from events
         where event = 'Added to Cart' and timestamp >= ? and timestamp < ? group by h`,
        range.from,
        new Date(start + 7 * 86_400_000).toISOString(),
      ))
        totals[Math.floor((Date.parse(`${r.h}:00:00.000Z`) - start) / 3_600_000)] = Number(r.n);
      return totals;
    },
    'funnel 3 steps, 7 d window': () => funnelNaive(false),
    'funnel, audience': () => funnelNaive(true),
    'retention 12 weeks': () => retentionNaive(false),
    'retention, audience': () => retentionNaive(true),
    'trait distribution (numeric)': () => {
      const values = naiveRows('select traits from identity_profiles where merged_into is null')
        .map((r) => (JSON.parse(String(r.traits)) as { ltv?: number }).ltv)
        .filter((v): v is number => typeof v === 'number');
      const min = values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
      const max = values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
      const width = (max - min) / 10;
      const out = Array.from({ length: 10 }, () => 0);
      for (const v of values) {
        const i = Math.min(9, Math.floor((v - min) / width));
        out[i] = (out[i] ?? 0) + 1;
      }
      return out;
    },
    'audience size history': () => {
      const rows = naiveRows(
        `select at, kind from audience_membership_log where audience_id = 'aud_bench' order by at`,
      );
      const sizes: number[] = [];
      let size = 0;
      let i = 0;
      for (let d = 0; d < days; d++) {
        const dayEnd = new Date(start + (d + 1) * 86_400_000).toISOString();
        for (; i < rows.length && String(rows[i]?.at) < dayEnd; i++)
          size += rows[i]?.kind === 'entered' ? 1 : -1;
        sizes.push(size);
      }
      return sizes;
    },
  };
}
