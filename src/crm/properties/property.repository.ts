import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { CrmPropertyTable } from './property.table.js';

export function listCustomProperties(db: Kysely<DB>, objectType: string) {
  return db
    .selectFrom('crm_properties')
    .selectAll()
    .where('object_type', '=', objectType)
    .orderBy('display_order')
    .orderBy('name')
    .execute();
}

export function findCustomProperty(db: Kysely<DB>, objectType: string, name: string) {
  return db
    .selectFrom('crm_properties')
    .selectAll()
    .where('object_type', '=', objectType)
    .where('name', '=', name)
    .executeTakeFirst();
}

export function insertCustomProperty(db: Kysely<DB>, row: Insertable<CrmPropertyTable>) {
  return db.insertInto('crm_properties').values(row).execute();
}

export function updateCustomProperty(
  db: Kysely<DB>,
  objectType: string,
  name: string,
  changes: Updateable<CrmPropertyTable>,
) {
  return db
    .updateTable('crm_properties')
    .set(changes)
    .where('object_type', '=', objectType)
    .where('name', '=', name)
    .execute();
}
