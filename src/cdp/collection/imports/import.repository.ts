import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../../storage/schema.js';
import type { ImportTable } from '../ingest.tables.js';

export function findImport(db: Kysely<DB>, id: string) {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Creates the import unless it exists (same source, file and options: a resumption). */
export function insertImportIfAbsent(db: Kysely<DB>, row: Insertable<ImportTable>) {
  return db
    .insertInto('imports')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export function updateImport(db: Kysely<DB>, id: string, changes: Updateable<ImportTable>) {
  return db.updateTable('imports').set(changes).where('id', '=', id).execute();
}
