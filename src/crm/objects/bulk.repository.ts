import { CompiledQuery, type Kysely, PostgresAdapter } from 'kysely';
import type { DB } from '../../storage/schema.js';

/**
 * Multi-row statements for the bulk writer, written as SQL text rather than built through the
 * query builder: a chunk binds hundreds of thousands of values, and building that many
 * expression nodes costs more than the insert itself. On SQLite the rows travel as one JSON
 * parameter read with `json_each`: the statement text stays the same whatever the row count,
 * and preparing a VALUES list of thousands of rows costs as much as inserting them.
 */

// PostgreSQL binds at most 65,535 parameters per statement (better-sqlite3 12 builds of SQLite
// take 32,766, which the JSON form never comes near): one cap that holds on both engines.
export const maxParameters = 32_766;

export type Cell = string | number | null;

const isPostgres = (db: Kysely<DB>) => db.getExecutor().adapter instanceof PostgresAdapter;

function placeholders(rows: number, columns: number): string {
  const out: string[] = [];
  let n = 1;
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) cells.push(`$${n++}`);
    out.push(`(${cells.join(',')})`);
  }
  return out.join(',');
}

function* parts(rows: Cell[][], columns: number): Generator<Cell[][]> {
  const per = Math.max(1, Math.floor(maxParameters / columns));
  for (let i = 0; i < rows.length; i += per) yield rows.slice(i, i + per);
}

/** The rows as a SELECT: `json_each` over one parameter on SQLite, a VALUES list on PostgreSQL. */
function source(pg: boolean, rows: Cell[][], columns: number): { text: string; params: Cell[] } {
  if (pg) return { text: `values ${placeholders(rows.length, columns)}`, params: rows.flat() };
  const cells = Array.from({ length: columns }, (_, c) => `value->>${c}`).join(',');
  return { text: `select ${cells} from json_each(?) where true`, params: [JSON.stringify(rows)] };
}

/** Inserts rows (arrays in `columns` order), as many per statement as the engine allows. */
export async function insertMany(
  db: Kysely<DB>,
  table: string,
  columns: string[],
  rows: Cell[][],
  opts: { ignoreDuplicates?: boolean } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const pg = isPostgres(db);
  const tail = opts.ignoreDuplicates ? ' on conflict do nothing' : '';
  for (const part of pg ? parts(rows, columns.length) : [rows]) {
    const from = source(pg, part, columns.length);
    const text = `insert into ${table} (${columns.join(',')}) ${from.text}${tail}`;
    await db.executeQuery(CompiledQuery.raw(text, from.params));
  }
}

/**
 * Inserts rows and answers their generated ids in row order. Within one statement both engines
 * draw ids in row order (SQLite's rowid counter, PostgreSQL's sequence), though neither
 * promises the order RETURNING lists them in: sorting the ids restores the row order.
 */
export async function insertReturningIds(
  db: Kysely<DB>,
  table: string,
  columns: string[],
  rows: Cell[][],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const pg = isPostgres(db);
  const ids: number[] = [];
  for (const part of pg ? parts(rows, columns.length) : [rows]) {
    const from = source(pg, part, columns.length);
    const text = `insert into ${table} (${columns.join(',')}) ${from.text} returning id`;
    const result = await db.executeQuery<{ id: number | string }>(
      CompiledQuery.raw(text, from.params),
    );
    ids.push(...result.rows.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  if (ids.length !== rows.length) throw new Error(`inserted ${ids.length} of ${rows.length} rows`);
  return ids;
}

/** Rewrites the stored row of many records at once (one UPDATE ... FROM per part). */
export async function updateObjectRows(
  db: Kysely<DB>,
  rows: { id: number; properties: string; ownerId: string | null; updatedAt: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  const pg = isPostgres(db);
  const cells: Cell[][] = rows.map((r) => [r.id, r.properties, r.ownerId, r.updatedAt]);
  for (const part of pg ? parts(cells, 4) : [cells]) {
    const from = source(pg, part, 4);
    // PostgreSQL names VALUES columns column1..column4 and types them as text.
    const [id, props, owner, at] = pg
      ? ['cast(v.column1 as bigint)', 'v.column2', 'v.column3', 'v.column4']
      : ['v.c0', 'v.c1', 'v.c2', 'v.c3'];
    const list = pg
      ? `(${from.text}) as v`
      : `(select value->>0 as c0, value->>1 as c1, value->>2 as c2, value->>3 as c3 from json_each(?)) as v`;
    const text = `update crm_objects set properties = ${props}, owner_id = ${owner}, updated_at = ${at} from ${list} where crm_objects.id = ${id}`;
    await db.executeQuery(CompiledQuery.raw(text, from.params));
  }
}

/**
 * Drops the index rows of the given properties of many records (the same properties for
 * each, as the caller groups them), before they are rewritten.
 */
export async function deleteIndexRowsOf(
  db: Kysely<DB>,
  type: string,
  ids: number[],
  properties: string[],
): Promise<void> {
  if (ids.length === 0 || properties.length === 0) return;
  for (let i = 0; i < ids.length; i += 1000) {
    const part = ids.slice(i, i + 1000);
    await db
      .deleteFrom('crm_values')
      .where('object_type', '=', type)
      .where('property', 'in', properties)
      .where('object_id', 'in', part)
      .execute();
    await db
      .deleteFrom('crm_tokens')
      .where('object_id', 'in', part)
      .where('property', 'in', properties)
      .execute();
    await db
      .deleteFrom('crm_unique_values')
      .where('object_id', 'in', part)
      .where('property', 'in', properties)
      .execute();
  }
}

/** Which of the given values of a unique property are held, and by which record. */
export async function uniqueHolders(
  db: Kysely<DB>,
  type: string,
  property: string,
  values: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < values.length; i += 1000) {
    const rows = await db
      .selectFrom('crm_unique_values')
      .select(['value', 'object_id'])
      .where('object_type', '=', type)
      .where('property', '=', property)
      .where('value', 'in', values.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.value, Number(r.object_id));
  }
  return out;
}

/** The enabled users among the given ids. */
export async function activeUserIds(db: Kysely<DB>, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', ids)
    .where('disabled_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Adds deltas to many counters in one statement (keys are distinct, as a Map's are). */
export async function bumpCountsMany(
  db: Kysely<DB>,
  type: string,
  deltas: Map<string, number>,
): Promise<void> {
  const rows: Cell[][] = [];
  for (const [key, delta] of deltas) {
    if (delta === 0) continue;
    const [property = '', value = ''] = key.split('\u0000');
    rows.push([type, property, value, delta]);
  }
  if (rows.length === 0) return;
  const pg = isPostgres(db);
  for (const part of pg ? parts(rows, 4) : [rows]) {
    const from = source(pg, part, 4);
    const text = `insert into crm_value_counts (object_type,property,value,n) ${from.text} on conflict (object_type,property,value) do update set n = crm_value_counts.n + excluded.n`;
    await db.executeQuery(CompiledQuery.raw(text, from.params));
  }
}
