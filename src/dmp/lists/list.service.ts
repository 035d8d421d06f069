import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import type { DB } from '../../storage/schema.js';
import { isDmpId } from '../ids/dmp-id.js';
import { suppressedIds, suppressionChanged } from './suppression-cache.js';

export const dmpListKinds = ['seed', 'suppression'] as const;
export type DmpListKind = (typeof dmpListKinds)[number];

/** List names are slugs: nothing free-form (and so nothing personal) reaches the DMP's tables. */
const LIST_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function isDmpListName(value: string): boolean {
  return LIST_NAME.test(value);
}

export interface DmpListSize {
  name: string;
  kind: DmpListKind;
  size: number;
  /** Smaller than the DMP's minimum segment size: a seed list this small is never released. */
  belowMinimum: boolean;
}

type ListDeps = Pick<Deps, 'db' | 'clock'>;

/** Marks a list changed: other processes' suppression caches see the new version. */
async function touch(db: Kysely<DB>, name: string): Promise<void> {
  await db
    .updateTable('dmp_lists')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('name', '=', name)
    .execute();
  suppressionChanged();
}

function checkName(name: string): void {
  // A programming error, not user input: callers validate names before they get here.
  if (!isDmpListName(name)) throw new Error(`not a DMP list name: ${name}`);
}

/** Creates the list, or changes its kind. */
export async function ensureDmpList(deps: ListDeps, name: string, kind: DmpListKind) {
  checkName(name);
  const now = iso(deps.clock.now());
  await deps.db
    .insertInto('dmp_lists')
    .values({ name, kind, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ kind, updated_at: now }))
    .execute();
  await touch(deps.db, name);
}

/** Deletes a list and its members (run it in the caller's transaction to make it atomic). */
export async function dropDmpList(db: Kysely<DB>, name: string): Promise<void> {
  await db.deleteFrom('dmp_list_members').where('list_name', '=', name).execute();
  await db.deleteFrom('dmp_lists').where('name', '=', name).execute();
  suppressionChanged();
}

/**
 * Adds DMP IDs to a list. Anything that is not a well-formed DMP ID is left out (and counted),
 * so an e-mail or a user ID can never be stored here by mistake. Seed lists also leave out IDs
 * the DMP does not hold (opted out, purged, never seen): they must not be modelled on.
 * Suppression lists take any DMP ID, so one the DMP sees later is suppressed from its first
 * lookup. Adding twice is harmless.
 */
export async function addDmpListMembers(
  deps: ListDeps,
  name: string,
  dmpIds: string[],
): Promise<{ added: number; refused: number }> {
  checkName(name);
  let ids = [...new Set(dmpIds.filter(isDmpId))];
  const list = await deps.db
    .selectFrom('dmp_lists')
    .select('kind')
    .where('name', '=', name)
    .executeTakeFirst();
  if (!list) throw new Error(`no DMP list ${name}`);
  if (list.kind === 'seed' && ids.length > 0) {
    const known = await deps.db.selectFrom('dmp_ids').select('id').where('id', 'in', ids).execute();
    const held = new Set(known.map((r) => r.id));
    ids = ids.filter((id) => held.has(id));
  }
  const refused = new Set(dmpIds).size - ids.length;
  if (ids.length === 0) return { added: 0, refused };
  const now = iso(deps.clock.now());
  for (let i = 0; i < ids.length; i += 500) {
    await deps.db
      .insertInto('dmp_list_members')
      .values(ids.slice(i, i + 500).map((dmp_id) => ({ list_name: name, dmp_id, added_at: now })))
      .onConflict((oc) => oc.columns(['list_name', 'dmp_id']).doNothing())
      .execute();
  }
  await touch(deps.db, name);
  return { added: ids.length, refused };
}

export async function removeDmpListMembers(
  db: Kysely<DB>,
  name: string,
  dmpIds: string[],
): Promise<void> {
  for (let i = 0; i < dmpIds.length; i += 500) {
    await db
      .deleteFrom('dmp_list_members')
      .where('list_name', '=', name)
      .where('dmp_id', 'in', dmpIds.slice(i, i + 500))
      .execute();
  }
  if (dmpIds.length > 0) await touch(db, name);
}

/**
 * Takes DMP IDs off every list: what erasure, opt-out and ID retention must call besides
 * `forgetIds`, so no list keeps an ID the DMP forgot.
 */
export async function forgetDmpListMembers(db: Kysely<DB>, dmpIds: string[]): Promise<void> {
  for (let i = 0; i < dmpIds.length; i += 500) {
    await db
      .deleteFrom('dmp_list_members')
      .where('dmp_id', 'in', dmpIds.slice(i, i + 500))
      .execute();
  }
  if (dmpIds.length === 0) return;
  await db
    .updateTable('dmp_lists')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .execute();
  suppressionChanged();
}

/** Every list with its size, and whether it is below the minimum segment size. */
export async function dmpListSizes(db: Kysely<DB>, minSegmentSize: number): Promise<DmpListSize[]> {
  const lists = await db.selectFrom('dmp_lists').select(['name', 'kind']).orderBy('name').execute();
  const counts = await db
    .selectFrom('dmp_list_members')
    .select(['list_name', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('list_name')
    .execute();
  const sizeOf = new Map(counts.map((c) => [c.list_name, Number(c.n)]));
  return lists.map((l) => {
    const size = sizeOf.get(l.name) ?? 0;
    return { name: l.name, kind: l.kind as DmpListKind, size, belowMinimum: size < minSegmentSize };
  });
}

/**
 * The DMP IDs of a seed list, for lookalike modelling, or undefined when the list is missing,
 * is not a seed list or is smaller than the minimum segment size (too small to stay anonymous).
 */
export async function seedListMembers(
  db: Kysely<DB>,
  name: string,
  minSegmentSize: number,
): Promise<string[] | undefined> {
  const list = await db
    .selectFrom('dmp_lists')
    .select('kind')
    .where('name', '=', name)
    .executeTakeFirst();
  if (list?.kind !== 'seed') return undefined;
  const rows = await db
    .selectFrom('dmp_list_members')
    .select('dmp_id')
    .where('list_name', '=', name)
    .orderBy('dmp_id')
    .execute();
  return rows.length < minSegmentSize ? undefined : rows.map((r) => r.dmp_id);
}

/**
 * Whether a DMP ID is on any suppression list. Suppression applies whatever the list's size:
 * it only ever takes activation away, so a small list reveals nothing to a buyer.
 */
export async function isSuppressedDmpId(db: Kysely<DB>, dmpId: string): Promise<boolean> {
  return (await suppressedIds(db)).has(dmpId);
}
