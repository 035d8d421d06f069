import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { DmpLookalikeTable } from './lookalike.tables.js';

export function insertLookalike(db: Kysely<DB>, row: Insertable<DmpLookalikeTable>) {
  return db.insertInto('dmp_lookalikes').values(row).execute();
}

export function findLookalike(db: Kysely<DB>, id: string) {
  return db.selectFrom('dmp_lookalikes').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listLookalikes(db: Kysely<DB>, opts: { after?: string; limit: number }) {
  let query = db
    .selectFrom('dmp_lookalikes')
    .selectAll()
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after) query = query.where('id', '>', opts.after);
  return query.execute();
}

export function updateLookalike(
  db: Kysely<DB>,
  id: string,
  changes: Updateable<DmpLookalikeTable>,
) {
  return db.updateTable('dmp_lookalikes').set(changes).where('id', '=', id).execute();
}

export function deleteLookalikeRow(db: Kysely<DB>, id: string) {
  return db.deleteFrom('dmp_lookalikes').where('id', '=', id).execute();
}

/**
 * One page of live trait realizations of activatable IDs, ordered by (ID, trait), after the
 * given key. Only IDs that may be activated are modelled: the others can be neither seeds nor
 * audience.
 */
export function liveHitPage(
  db: Kysely<DB>,
  now: string,
  after: readonly [string, string] | undefined,
  limit: number,
): Promise<{ dmp_id: string; trait_id: string }[]> {
  let query = db
    .selectFrom('dmp_trait_hits as h')
    .innerJoin('dmp_ids as i', 'i.id', 'h.dmp_id')
    .select(['h.dmp_id', 'h.trait_id'])
    .where('i.activatable', '=', 1)
    .where('h.expires_at', '>', now)
    .orderBy('h.dmp_id')
    .orderBy('h.trait_id')
    .limit(limit);
  if (after) {
    query = query.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('h.dmp_id', 'h.trait_id'), '>', tuple(after[0], after[1])),
    );
  }
  return query.execute();
}

/** IDs holding a realization of the trait (the audience a previous activation made). */
export async function traitHolders(db: Kysely<DB>, traitId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('dmp_trait_hits')
    .select('dmp_id')
    .where('trait_id', '=', traitId)
    .execute();
  return rows.map((r) => r.dmp_id);
}

const BATCH = 500;

/** Gives each ID exactly one realization of the trait, at `now` (replacing older ones). */
export async function putRealizations(
  db: Kysely<DB>,
  traitId: string,
  dmpIds: readonly string[],
  at: { hits: string; last_at: string; expires_at: string },
): Promise<void> {
  for (let i = 0; i < dmpIds.length; i += BATCH) {
    await db
      .insertInto('dmp_trait_hits')
      .values(dmpIds.slice(i, i + BATCH).map((dmp_id) => ({ dmp_id, trait_id: traitId, ...at })))
      .onConflict((oc) =>
        oc.columns(['dmp_id', 'trait_id']).doUpdateSet((eb) => ({
          hits: eb.ref('excluded.hits'),
          last_at: eb.ref('excluded.last_at'),
          expires_at: eb.ref('excluded.expires_at'),
        })),
      )
      .execute();
  }
}

export async function dropRealizations(
  db: Kysely<DB>,
  traitId: string,
  dmpIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < dmpIds.length; i += BATCH) {
    await db
      .deleteFrom('dmp_trait_hits')
      .where('trait_id', '=', traitId)
      .where('dmp_id', 'in', dmpIds.slice(i, i + BATCH))
      .execute();
  }
}

/** Names of some traits (for the model's top traits); deleted traits are missing. */
export async function traitNames(
  db: Kysely<DB>,
  traitIds: readonly string[],
): Promise<Map<string, string>> {
  if (traitIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('dmp_traits')
    .select(['id', 'name'])
    .where('id', 'in', [...traitIds])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
