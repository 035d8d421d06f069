import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

export function allCustomNodes(db: Kysely<DB>) {
  return db.selectFrom('dmp_taxonomy_nodes').selectAll().orderBy('id').execute();
}

export async function maxCustomId(db: Kysely<DB>): Promise<number | null> {
  const row = await db
    .selectFrom('dmp_taxonomy_nodes')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? null : Number(row.max);
}

export function insertCustomNode(
  db: Kysely<DB>,
  row: { id: number; parent_id: number | null; name: string; created_at: string },
) {
  return db.insertInto('dmp_taxonomy_nodes').values(row).execute();
}
