/**
 * The baseline deduper the benchmarks compare against: records are the same person exactly
 * when their normalised first name, last name and date of birth are all present and equal.
 * This is what a CRM's "merge exact duplicates" button does.
 */
import {
  normalizeDate,
  normalizeName,
  type PersonRecord,
} from '../../src/cdp/identity/matching/index.js';

/** Cluster id per record (the first record id with the same key, or the record's own id). */
export function exactNameDobClusters(records: readonly PersonRecord[]): string[] {
  const firstWithKey = new Map<string, string>();
  return records.map((record) => {
    const first = normalizeName(record.first_name ?? '');
    const last = normalizeName(record.last_name ?? '');
    const dob = normalizeDate(record.dob ?? '');
    if (first === '' || last === '' || dob === '') return record.id;
    const key = `${first}|${last}|${dob}`;
    const existing = firstWithKey.get(key);
    if (existing !== undefined) return existing;
    firstWithKey.set(key, record.id);
    return record.id;
  });
}

/** Size of the largest cluster in a labelling. */
export function largestCluster(labels: readonly string[]): number {
  const sizes = new Map<string, number>();
  for (const label of labels) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  return Math.max(0, ...sizes.values());
}

/** One table row: a metric with our value, the baseline's and their ratio. */
export interface Row {
  readonly metric: string;
  readonly ours: number;
  readonly baseline: number;
  readonly digits: number;
}

/** Prints rows as a fixed-width table with columns metric, ours, baseline, ratio. */
export function printTable(title: string, rows: readonly Row[]): void {
  console.log(`\n${title}`);
  console.log(
    `${'metric'.padEnd(22)}${'ours'.padStart(12)}${'baseline'.padStart(12)}${'ratio'.padStart(10)}`,
  );
  for (const row of rows) {
    const ratio = row.baseline === 0 ? '-' : (row.ours / row.baseline).toFixed(2);
    console.log(
      `${row.metric.padEnd(22)}${row.ours.toFixed(row.digits).padStart(12)}${row.baseline
        .toFixed(row.digits)
        .padStart(12)}${ratio.padStart(10)}`,
    );
  }
}
