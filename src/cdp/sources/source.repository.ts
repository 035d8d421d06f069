import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { SourceTable } from './source.table.js';

export function insertSource(db: Kysely<DB>, row: Insertable<SourceTable>) {
  return db.insertInto('sources').values(row).execute();
}

export function findSourceById(db: Kysely<DB>, id: string) {
  return db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSourceByWriteKey(db: Kysely<DB>, writeKey: string) {
  return db.selectFrom('sources').selectAll().where('write_key', '=', writeKey).executeTakeFirst();
}

export function listSources(db: Kysely<DB>, opts: { after?: string; limit: number }) {
  let query = db
    .selectFrom('sources')
    .selectAll()
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after) query = query.where('id', '>', opts.after);
  return query.execute();
}

export function updateSource(db: Kysely<DB>, id: string, changes: Updateable<SourceTable>) {
  return db.updateTable('sources').set(changes).where('id', '=', id).executeTakeFirst();
}
