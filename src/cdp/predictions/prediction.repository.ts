import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { PredictionModelRow, PredictionModelTable } from './prediction.tables.js';

export type Db = Kysely<DB>;

export const onPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

export async function insertModel(db: Db, row: PredictionModelTable): Promise<void> {
  await db.insertInto('prediction_models').values(row).execute();
}

export function findModel(db: Db, id: string): Promise<PredictionModelRow | undefined> {
  return db.selectFrom('prediction_models').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findModelByTrait(db: Db, traitKey: string) {
  return db
    .selectFrom('prediction_models')
    .select('id')
    .where('trait_key', '=', traitKey)
    .executeTakeFirst();
}

export function listModels(db: Db): Promise<PredictionModelRow[]> {
  return db.selectFrom('prediction_models').selectAll().orderBy('id').execute();
}

export async function updateModel(
  db: Db,
  id: string,
  patch: Partial<Omit<PredictionModelTable, 'id'>>,
): Promise<void> {
  await db.updateTable('prediction_models').set(patch).where('id', '=', id).execute();
}

export async function deleteModel(db: Db, id: string): Promise<void> {
  await db.deleteFrom('prediction_models').where('id', '=', id).execute();
}

export function dueModels(db: Db, now: string): Promise<PredictionModelRow[]> {
  return db
    .selectFrom('prediction_models')
    .selectAll()
    .where('schedule', 'is not', null)
    .where('next_train_at', '<=', now)
    .orderBy('next_train_at')
    .execute();
}

/**
 * Moves a due model's next run forward only if nobody else did: the worker that wins this
 * compare-and-set trains it, a second worker process skips it.
 */
export async function claimDue(
  db: Db,
  id: string,
  expected: string,
  next: string,
): Promise<boolean> {
  const result = await db
    .updateTable('prediction_models')
    .set({ next_train_at: next })
    .where('id', '=', id)
    .where('next_train_at', '=', expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const chunk = <T>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

/**
 * Writes traits onto profiles by merging JSON objects in SQL, so only the given keys change
 * and a concurrent identify that updates other traits is not overwritten by a stale copy.
 * `trait_times` records when the value was computed, which is how profile merges pick it.
 */
export async function patchProfileTraits(
  db: Db,
  patches: { profileId: string; traits: Record<string, unknown> }[],
  at: string,
): Promise<void> {
  const pg = onPostgres(db);
  for (const part of chunk(patches, 300)) {
    const values = sql.join(
      part.map((p) => {
        const times = Object.fromEntries(Object.keys(p.traits).map((k) => [k, at]));
        return sql`(${p.profileId}, ${JSON.stringify(p.traits)}, ${JSON.stringify(times)})`;
      }),
    );
    // One statement per chunk: a join against a VALUES list instead of one UPDATE per profile.
    await (pg
      ? sql`update identity_profiles as p
          set traits = (p.traits::jsonb || v.t::jsonb)::text,
            trait_times = (p.trait_times::jsonb || v.tt::jsonb)::text
          from (values ${values}) as v(id, t, tt) where p.id = v.id`
      : sql`update identity_profiles
          set traits = json_patch(traits, v.column2), trait_times = json_patch(trait_times, v.column3)
          from (values ${values}) as v where identity_profiles.id = v.column1`
    ).execute(db);
  }
}

/** Removes traits from every profile that has them (a deleted model leaves no stale scores). */
export async function removeProfileTraits(db: Db, keys: string[]): Promise<void> {
  const first = keys[0];
  if (first === undefined) return;
  const like = `%"${first}"%`;
  if (onPostgres(db)) {
    const list = sql.join(keys.map((k) => sql`${k}`));
    await sql`update identity_profiles set traits = (traits::jsonb - array[${list}]::text[])::text,
        trait_times = (trait_times::jsonb - array[${list}]::text[])::text
      where traits like ${like}`.execute(db);
    return;
  }
  const paths = sql.join(keys.map((k) => sql`${`$."${k}"`}`));
  await sql`update identity_profiles set traits = json_remove(traits, ${paths}),
      trait_times = json_remove(trait_times, ${paths})
    where traits like ${like}`.execute(db);
}
