import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { CrmImportTable } from './import.table.js';

export async function insertImport(
  db: Kysely<DB>,
  row: Insertable<CrmImportTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('crm_imports')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export function findImportRow(db: Kysely<DB>, id: number) {
  return db.selectFrom('crm_imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The latest import of the same bytes and mapping that has not failed, if any. */
export function findImportByKey(db: Kysely<DB>, key: string) {
  return db
    .selectFrom('crm_imports')
    .selectAll()
    .where('import_key', '=', key)
    .where('status', '!=', 'failed')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export function updateImportRow(db: Kysely<DB>, id: number, changes: Updateable<CrmImportTable>) {
  return db.updateTable('crm_imports').set(changes).where('id', '=', id).execute();
}

/**
 * Takes an import to run: queued or interrupted ones, and running ones whose runner stopped
 * updating them (a crashed process). The update only succeeds for one claimant.
 */
export async function claimImport(
  db: Kysely<DB>,
  row: { id: number; status: string; updated_at: string },
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('crm_imports')
    .set({ status: 'running', updated_at: now })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where('updated_at', '=', row.updated_at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function resumableImports(db: Kysely<DB>, staleBefore: string) {
  return db
    .selectFrom('crm_imports')
    .select(['id', 'status', 'updated_at'])
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['queued', 'interrupted']),
        eb.and([eb('status', '=', 'running'), eb('updated_at', '<', staleBefore)]),
      ]),
    )
    .orderBy('id')
    .limit(10)
    .execute();
}
