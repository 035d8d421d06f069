import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { AssociationLabelTable, AssociationTable } from './association.table.js';

export async function insertAssociationRows(
  db: Kysely<DB>,
  rows: Insertable<AssociationTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('crm_associations')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * One page of the records a record is associated with (keyset on the target id); with
 * `ownerIds`, only targets owned by one of them.
 */
export async function listAssociationRows(
  db: Kysely<DB>,
  opts: {
    fromId: number;
    toType: string;
    after: number | undefined;
    limit: number;
    ownerIds?: string[] | undefined;
  },
) {
  if (opts.ownerIds?.length === 0) return { ids: [], rows: [] };
  let targets = db
    .selectFrom('crm_associations')
    .select('to_id')
    .distinct()
    .where('from_id', '=', opts.fromId)
    .where('to_type', '=', opts.toType)
    .orderBy('to_id')
    .limit(opts.limit + 1);
  if (opts.after !== undefined) targets = targets.where('to_id', '>', opts.after);
  if (opts.ownerIds !== undefined) {
    const owned = db.selectFrom('crm_objects').select('id').where('owner_id', 'in', opts.ownerIds);
    targets = targets.where('to_id', 'in', owned);
  }
  const ids = (await targets.execute()).map((r) => Number(r.to_id));
  if (ids.length === 0) return { ids, rows: [] };
  const rows = await db
    .selectFrom('crm_associations')
    .selectAll()
    .where('from_id', '=', opts.fromId)
    .where('to_type', '=', opts.toType)
    .where('to_id', 'in', ids.slice(0, opts.limit))
    .orderBy('to_id')
    .orderBy('type_id')
    .execute();
  return { ids, rows };
}

/** All association rows between two records, seen from `fromId`. */
export function associationRowsBetween(db: Kysely<DB>, fromId: number, toId: number) {
  return db
    .selectFrom('crm_associations')
    .selectAll()
    .where('from_id', '=', fromId)
    .where('to_id', '=', toId)
    .execute();
}

/** Removes the association between two records in both directions (all its labels). */
export async function deleteAssociationsBetween(db: Kysely<DB>, a: number, b: number) {
  await db.deleteFrom('crm_associations').where('from_id', '=', a).where('to_id', '=', b).execute();
  await db.deleteFrom('crm_associations').where('from_id', '=', b).where('to_id', '=', a).execute();
}

export async function deleteAssociationKinds(
  db: Kysely<DB>,
  from: number,
  to: number,
  kinds: { category: string; typeId: number; inverseTypeId: number }[],
): Promise<void> {
  for (const kind of kinds) {
    await db
      .deleteFrom('crm_associations')
      .where('from_id', '=', from)
      .where('to_id', '=', to)
      .where('category', '=', kind.category)
      .where('type_id', '=', kind.typeId)
      .execute();
    await db
      .deleteFrom('crm_associations')
      .where('from_id', '=', to)
      .where('to_id', '=', from)
      .where('category', '=', kind.category)
      .where('type_id', '=', kind.inverseTypeId)
      .execute();
  }
}

/** Every association of a record (both directions), e.g. before it is archived or merged. */
export function allAssociationRows(db: Kysely<DB>, id: number) {
  return db.selectFrom('crm_associations').selectAll().where('from_id', '=', id).execute();
}

export async function deleteAllAssociations(db: Kysely<DB>, id: number): Promise<void> {
  const rows = await allAssociationRows(db, id);
  for (const target of new Set(rows.map((r) => Number(r.to_id)))) {
    await deleteAssociationsBetween(db, id, target);
  }
}

export function listLabelRows(db: Kysely<DB>, fromType: string, toType: string) {
  return db
    .selectFrom('crm_association_labels')
    .selectAll()
    .where('from_type', '=', fromType)
    .where('to_type', '=', toType)
    .orderBy('type_id')
    .execute();
}

export function findLabelRow(db: Kysely<DB>, typeId: number) {
  return db
    .selectFrom('crm_association_labels')
    .selectAll()
    .where('type_id', '=', typeId)
    .executeTakeFirst();
}

export async function maxLabelTypeId(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('crm_association_labels')
    .select((eb) => eb.fn.max('type_id').as('max'))
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max);
}

export function insertLabelRows(db: Kysely<DB>, rows: Insertable<AssociationLabelTable>[]) {
  return db.insertInto('crm_association_labels').values(rows).execute();
}

export function updateLabelRow(db: Kysely<DB>, typeId: number, label: string) {
  return db
    .updateTable('crm_association_labels')
    .set({ label })
    .where('type_id', '=', typeId)
    .execute();
}

export async function deleteLabel(db: Kysely<DB>, typeIds: number[]): Promise<void> {
  await db
    .deleteFrom('crm_associations')
    .where('category', '=', 'USER_DEFINED')
    .where('type_id', 'in', typeIds)
    .execute();
  await db.deleteFrom('crm_association_labels').where('type_id', 'in', typeIds).execute();
}
