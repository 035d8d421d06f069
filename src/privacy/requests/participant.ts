import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { DmpRuntime } from '../../dmp/index.js';
import type { Clock } from '../../kernel/clock.js';
import { isPostgres } from '../../storage/dialect.js';
import type { DB } from '../../storage/schema.js';
import type { Subject } from './subject.js';

/** What participants work with; `dmp` is absent in processes without a DMP runtime (jobs). */
export interface PrivacyDeps {
  db: Kysely<DB>;
  clock: Clock;
  dmp?: DmpRuntime | undefined;
}

export interface ErasureOutcome {
  /** Rows or records deleted or anonymized. */
  affected: number;
  /** Store-specific notes shown on the receipt. */
  detail?: Record<string, unknown>;
}

/**
 * One store's part in data subject requests. Every store that can hold personal data registers
 * one (see `participants.ts`), so a new store plugs into access and erasure without changing
 * the request service. `erase` must be idempotent: a retried request runs it again.
 */
export interface Participant {
  store: string;
  /** How many rows or records the store holds about the subject. */
  find(db: Kysely<DB>, subject: Subject): Promise<number>;
  /** Everything the store holds about the subject, as JSON for the access document. */
  access(deps: PrivacyDeps, subject: Subject): Promise<unknown>;
  erase(deps: PrivacyDeps, subject: Subject): Promise<ErasureOutcome>;
}

/**
 * Whether a text column contains any of the values as a substring, in the form JSON gives them
 * (so a value with quotes or backslashes matches inside a payload). One portable function per
 * engine; no LIKE, so `%` and `_` in values need no escaping.
 */
export function containsAny(
  db: Kysely<DB>,
  column: string,
  values: readonly string[],
  /** Match whole JSON strings only (`"value"`, quotes included). */
  whole = false,
  /**
   * Compare lower-cased (ASCII letters in SQLite): for values people type in any case, such as
   * e-mail addresses a CRM import keeps as written.
   */
  ignoreCase = false,
): Expression<SqlBool> {
  const pg = isPostgres(db as unknown as Kysely<unknown>);
  const haystack = ignoreCase ? sql`lower(${sql.ref(column)})` : sql.ref(column);
  const parts = values.map((value) => {
    const quoted = JSON.stringify(ignoreCase ? value.toLowerCase() : value);
    const needle = whole ? quoted : quoted.slice(1, -1);
    return pg
      ? sql<SqlBool>`strpos(${haystack}, ${needle}) > 0`
      : sql<SqlBool>`instr(${haystack}, ${needle}) > 0`;
  });
  if (parts.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** Number of rows a delete or update touched, whatever the engine reports. */
export function affectedOf(result: { numDeletedRows?: bigint; numUpdatedRows?: bigint }): number {
  return Number(result.numDeletedRows ?? result.numUpdatedRows ?? 0n);
}

/** Splits a list for `in (...)` clauses (SQLite caps bound parameters). */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
