import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../storage/dialect.js';
import type { DB } from '../../storage/schema.js';

/**
 * The tables of the database and their columns, read from the engine's catalog. Erasure uses
 * it to reach tables keyed by profile or CRM record that other features add later, without
 * each of them having to remember the privacy model.
 */
export async function tableColumns(db: Kysely<DB>): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const add = (table: string, column: string) => {
    const columns = out.get(table) ?? new Set<string>();
    columns.add(column);
    out.set(table, columns);
  };
  if (isPostgres(db as unknown as Kysely<unknown>)) {
    const rows = await sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'`.execute(db);
    for (const row of rows.rows) add(row.table_name, row.column_name);
    return out;
  }
  const rows = await sql<{ table_name: string; column_name: string }>`
    select m.name as table_name, p.name as column_name
    from sqlite_master m join pragma_table_info(m.name) p
    where m.type = 'table' and m.name not like 'sqlite_%'`.execute(db);
  for (const row of rows.rows) add(row.table_name, row.column_name);
  return out;
}

/** Tables having every one of the columns. */
export async function tablesWith(db: Kysely<DB>, ...columns: string[]): Promise<string[]> {
  const all = await tableColumns(db);
  return [...all]
    .filter(([, cols]) => columns.every((c) => cols.has(c)))
    .map(([table]) => table)
    .sort();
}
