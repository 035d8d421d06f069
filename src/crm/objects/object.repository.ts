import { type Insertable, type Kysely, PostgresAdapter, sql, type Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { IndexRows } from './index-rows.js';
import type { CrmObjectRow, CrmObjectTable, CrmValueTable } from './object.table.js';

// SQLite caps bound parameters per statement; chunks keep multi-row inserts under it.
const chunkRows = 150;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += chunkRows) out.push(rows.slice(i, i + chunkRows));
  return out;
}

export async function insertObject(
  db: Kysely<DB>,
  row: Insertable<CrmObjectTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('crm_objects')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export function findObject(db: Kysely<DB>, id: number) {
  return db.selectFrom('crm_objects').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findObjects(db: Kysely<DB>, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('crm_objects').selectAll().where('id', 'in', ids).execute();
}

/**
 * One page of a type's records in id order (keyset: `id > after`, never OFFSET). SQLite is told
 * which index to walk: with table statistics it may otherwise prefer the rowid order, which
 * scans every older record of other types before the first one of this type.
 */
export async function listObjectRows(
  db: Kysely<DB>,
  opts: { type: string; archived: boolean; after: number | undefined; limit: number },
): Promise<CrmObjectRow[]> {
  const sqlite = !(db.getExecutor().adapter instanceof PostgresAdapter);
  const index = sqlite ? sql` indexed by crm_objects_list` : sql``;
  const after = opts.after === undefined ? sql`` : sql` and id > ${opts.after}`;
  const result =
    await sql<CrmObjectRow>`select * from crm_objects${index} where object_type = ${opts.type} and archived = ${opts.archived ? 1 : 0}${after} order by id limit ${opts.limit + 1}`.execute(
      db,
    );
  return result.rows;
}

export function updateObjectRow(db: Kysely<DB>, id: number, changes: Updateable<CrmObjectTable>) {
  return db.updateTable('crm_objects').set(changes).where('id', '=', id).execute();
}

export async function insertIndexRows(db: Kysely<DB>, rows: IndexRows): Promise<void> {
  for (const part of chunks(rows.values)) await db.insertInto('crm_values').values(part).execute();
  for (const part of chunks(rows.tokens)) await db.insertInto('crm_tokens').values(part).execute();
  for (const part of chunks(rows.unique)) {
    await db.insertInto('crm_unique_values').values(part).execute();
  }
}

export async function replaceValueRows(
  db: Kysely<DB>,
  type: string,
  id: number,
  rows: Insertable<CrmValueTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .deleteFrom('crm_values')
    .where('object_type', '=', type)
    .where(
      'property',
      'in',
      rows.map((r) => r.property),
    )
    .where('object_id', '=', id)
    .execute();
  await db.insertInto('crm_values').values(rows).execute();
}

/** Drops the index rows of the given properties of one record (before rewriting them). */
export async function deleteIndexRows(
  db: Kysely<DB>,
  type: string,
  id: number,
  properties: string[],
): Promise<void> {
  if (properties.length === 0) return;
  await db
    .deleteFrom('crm_values')
    .where('object_type', '=', type)
    .where('property', 'in', properties)
    .where('object_id', '=', id)
    .execute();
  await db
    .deleteFrom('crm_tokens')
    .where('object_id', '=', id)
    .where('property', 'in', properties)
    .execute();
  await db
    .deleteFrom('crm_unique_values')
    .where('object_id', '=', id)
    .where('property', 'in', properties)
    .execute();
}

/**
 * Drops every index row of a record (archived records leave search entirely). The caller names
 * the indexed properties (the record's own plus its times), so this stays a set of key probes.
 */
export async function deleteAllIndexRows(
  db: Kysely<DB>,
  type: string,
  id: number,
  properties: string[],
): Promise<void> {
  await deleteIndexRows(db, type, id, properties);
  await db.deleteFrom('crm_tokens').where('object_id', '=', id).execute();
  await db.deleteFrom('crm_unique_values').where('object_id', '=', id).execute();
}

/** The record holding a unique value (e-mail, domain...), if any. */
export async function findByUniqueValue(
  db: Kysely<DB>,
  type: string,
  property: string,
  value: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('crm_unique_values')
    .select('object_id')
    .where('object_type', '=', type)
    .where('property', '=', property)
    .where('value', '=', value)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.object_id);
}

/** Whether a Triad user (an owner) exists and is enabled. */
export async function activeUserExists(db: Kysely<DB>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds `delta` to counters, creating them as needed (one upsert per counter). */
export async function bumpCounts(
  db: Kysely<DB>,
  type: string,
  deltas: Map<string, number>,
): Promise<void> {
  for (const [key, delta] of deltas) {
    if (delta === 0) continue;
    const [property = '', value = ''] = key.split('\u0000');
    await db
      .insertInto('crm_value_counts')
      .values({ object_type: type, property, value, n: delta })
      .onConflict((oc) =>
        oc.columns(['object_type', 'property', 'value']).doUpdateSet((eb) => ({
          n: eb('crm_value_counts.n', '+', eb.ref('excluded.n')),
        })),
      )
      .execute();
  }
}

export async function sumCounts(
  db: Kysely<DB>,
  type: string,
  property: string,
  values: string[],
): Promise<number> {
  const row = await db
    .selectFrom('crm_value_counts')
    .select((eb) => eb.fn.sum<number>('n').as('n'))
    .where('object_type', '=', type)
    .where('property', '=', property)
    .where('value', 'in', values)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
