/**
 * Resolving a CSV file of person records: read, map columns to person fields, match, write
 * `record_id,cluster_id`, and score against a truth when one is given. This is the function the
 * `triad resolve FILE --id-column COL --map FIELD=COL,... --out OUT.csv [--truth COL]` command
 * calls, so its options mirror those flags.
 */
import { writeFile } from 'node:fs/promises';
import type { MatcherConfig } from './config.js';
import { formatCsvRow, readCsvFile } from './csv.js';
import { type Resolution, resolvePersons } from './matcher.js';
import { type PairwiseMetrics, pairwiseMetrics } from './metrics.js';
import { PERSON_FIELDS, type PersonField, type PersonRecord } from './types.js';

/** Which CSV column holds each person field; unmapped fields are absent. */
export type FieldMap = Partial<Record<PersonField, string>>;

/** A CSV row keyed by header name. */
export type CsvRow = Readonly<Record<string, string>>;

/**
 * Where the true entity of a row comes from: `'febrl-rec-id'` reads Febrl ids
 * (`rec-<N>-org`, `rec-<N>-dup-<k>`, entity N) from the truth column or else the id column; a
 * function computes it from the row.
 */
export type TruthSource = 'febrl-rec-id' | ((row: CsvRow) => string);

/** Options of {@link loadPersonCsv}. */
export interface LoadCsvOptions {
  readonly file: string;
  readonly idColumn: string;
  readonly map: FieldMap;
  /** Column with the true entity label (used as is unless `truth` says otherwise). */
  readonly truthColumn?: string;
  readonly truth?: TruthSource;
  /** Field delimiter, ',' by default. */
  readonly delimiter?: string;
}

/** Options of {@link resolveCsvFile}. */
export interface ResolveCsvOptions extends LoadCsvOptions {
  /** Output file for `record_id,cluster_id` rows. */
  readonly out: string;
  /** Overrides of the default person configuration. */
  readonly config?: Partial<MatcherConfig>;
}

/** Records read from a CSV, with their true entity labels when a truth was given. */
export interface LoadedCsv {
  readonly records: readonly PersonRecord[];
  readonly truth?: readonly string[];
}

/** The outcome of {@link resolveCsvFile}. */
export interface ResolveCsvResult {
  readonly records: number;
  readonly clusters: number;
  readonly largestCluster: number;
  readonly merges: number;
  readonly suggestions: number;
  /** Pairwise precision/recall/F1 of the written clusters, when a truth was given. */
  readonly metrics?: PairwiseMetrics;
  /** Wall time of reading, matching and writing. */
  readonly seconds: number;
  readonly resolution: Resolution;
}

/** The entity number of a Febrl record id: "rec-12-dup-0" and "rec-12-org" both give "12". */
export function febrlEntity(recId: string): string {
  const match = /^rec-(\d+)-(?:org|dup-\d+)$/.exec(recId.trim());
  if (!match?.[1]) throw new SyntaxError(`not a Febrl record id: ${JSON.stringify(recId)}`);
  return match[1];
}

function truthOf(options: LoadCsvOptions): ((row: CsvRow) => string) | undefined {
  const { truth, truthColumn, idColumn } = options;
  if (typeof truth === 'function') return truth;
  if (truth === 'febrl-rec-id') return (row) => febrlEntity(row[truthColumn ?? idColumn] ?? '');
  if (truthColumn !== undefined) return (row) => row[truthColumn] ?? '';
  return undefined;
}

/**
 * Reads a person CSV: the first row is the header; every value is text; an empty value is
 * missing. Throws when a mapped column, the id column or the truth column is absent, or when an
 * id repeats.
 */
export async function loadPersonCsv(options: LoadCsvOptions): Promise<LoadedCsv> {
  const rows = readCsvFile(options.file, options.delimiter ?? ',');
  const headerResult = await rows.next();
  if (headerResult.done) throw new Error(`${options.file} is empty`);
  const header = headerResult.value;
  const required = [options.idColumn, ...Object.values(options.map)];
  if (options.truthColumn !== undefined) required.push(options.truthColumn);
  const missing = required.filter((c) => c !== undefined && !header.includes(c));
  if (missing.length > 0) {
    throw new Error(`${options.file} has no column ${missing.map((c) => `"${c}"`).join(', ')}`);
  }
  const mapped = PERSON_FIELDS.flatMap((field) => {
    const column = options.map[field];
    return column === undefined ? [] : [[field, column] as const];
  });
  const entityOf = truthOf(options);
  const records: PersonRecord[] = [];
  const truth: string[] = [];
  const ids = new Set<string>();
  for await (const values of rows) {
    const row: Record<string, string> = {};
    header.forEach((column, i) => {
      row[column] = values[i] ?? '';
    });
    const id = row[options.idColumn] ?? '';
    if (ids.has(id)) throw new Error(`${options.file}: id "${id}" appears twice`);
    ids.add(id);
    const record: Record<string, string> = { id };
    for (const [field, column] of mapped) {
      const value = row[column] ?? '';
      if (value !== '') record[field] = value;
    }
    records.push(record as PersonRecord);
    if (entityOf) truth.push(entityOf(row));
  }
  return entityOf ? { records, truth } : { records };
}

/**
 * Resolves the people in a CSV file and writes one `record_id,cluster_id` row per record to
 * `out`, in input order. With a truth (`truthColumn` and/or `truth`), also returns pairwise
 * precision, recall and F1 of the clusters written.
 */
export async function resolveCsvFile(options: ResolveCsvOptions): Promise<ResolveCsvResult> {
  const started = performance.now();
  const loaded = await loadPersonCsv(options);
  const resolution = resolvePersons(loaded.records, options.config);
  const lines = [formatCsvRow(['record_id', 'cluster_id'])];
  loaded.records.forEach((record, i) => {
    lines.push(formatCsvRow([record.id, resolution.clusterIds[i] ?? record.id]));
  });
  await writeFile(options.out, `${lines.join('\n')}\n`, 'utf8');
  const metrics = loaded.truth ? pairwiseMetrics(resolution.clusterIds, loaded.truth) : undefined;
  return {
    records: loaded.records.length,
    clusters: resolution.stats.clusterCount,
    largestCluster: resolution.stats.largestCluster,
    merges: resolution.merges.length,
    suggestions: resolution.suggestions.length,
    ...(metrics ? { metrics } : {}),
    seconds: (performance.now() - started) / 1000,
    resolution,
  };
}
