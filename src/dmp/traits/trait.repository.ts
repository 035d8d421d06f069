import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { DmpTraitTable } from '../dmp.tables.js';

export function insertTrait(db: Kysely<DB>, row: Insertable<DmpTraitTable>) {
  return db.insertInto('dmp_traits').values(row).execute();
}

export function findTrait(db: Kysely<DB>, id: string) {
  return db.selectFrom('dmp_traits').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listTraits(db: Kysely<DB>, opts: { after?: string; limit: number }) {
  let query = db
    .selectFrom('dmp_traits')
    .selectAll()
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after) query = query.where('id', '>', opts.after);
  return query.execute();
}

export function allTraits(db: Kysely<DB>) {
  return db.selectFrom('dmp_traits').selectAll().orderBy('id').execute();
}

export function updateTrait(db: Kysely<DB>, id: string, changes: Updateable<DmpTraitTable>) {
  return db.updateTable('dmp_traits').set(changes).where('id', '=', id).execute();
}

/** Deletes the trait and its realizations. */
export async function deleteTrait(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('dmp_trait_hits').where('trait_id', '=', id).execute();
  await db.deleteFrom('dmp_traits').where('id', '=', id).execute();
}
