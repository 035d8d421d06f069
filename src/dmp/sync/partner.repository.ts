import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { DmpPartnerTable } from '../dmp.tables.js';

export function insertPartner(db: Kysely<DB>, row: Insertable<DmpPartnerTable>) {
  return db.insertInto('dmp_partners').values(row).execute();
}

export function findPartner(db: Kysely<DB>, id: string) {
  return db.selectFrom('dmp_partners').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listPartners(db: Kysely<DB>, opts: { after?: string; limit: number }) {
  let query = db
    .selectFrom('dmp_partners')
    .selectAll()
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after) query = query.where('id', '>', opts.after);
  return query.execute();
}

export async function partnerIds(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom('dmp_partners').select('id').execute();
  return new Set(rows.map((row) => row.id));
}

export function updatePartner(db: Kysely<DB>, id: string, changes: Updateable<DmpPartnerTable>) {
  return db.updateTable('dmp_partners').set(changes).where('id', '=', id).execute();
}

/** Deletes the partner and its whole match table. */
export async function deletePartner(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('dmp_matches').where('partner_id', '=', id).execute();
  await db.deleteFrom('dmp_partners').where('id', '=', id).execute();
}
