import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, conflict, notFound } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { findObject } from '../objects/object.repository.js';
import { type ObjectType, objectTypeId } from '../objects/object-types.js';
import { inScope, type VisibilityScope } from '../owners/owner.service.js';
import * as repo from './association.repository.js';
import {
  type AssociationCategory,
  type AssociationKind,
  builtInKinds,
  defaultKind,
  firstLabelTypeId,
} from './association-types.js';

export interface AssociationSpecInput {
  associationCategory: AssociationCategory;
  associationTypeId: number;
}

export interface RecordRef {
  type: ObjectType;
  id: number;
}

/** Every kind of association from one type to another: built-in ones and user-defined labels. */
export async function kindsBetween(
  db: Kysely<DB>,
  from: ObjectType,
  to: ObjectType,
): Promise<AssociationKind[]> {
  const labels = await repo.listLabelRows(db, from, to);
  return [
    ...builtInKinds(from, to),
    ...labels.map((row) => ({
      category: 'USER_DEFINED' as const,
      typeId: row.type_id,
      inverseTypeId: row.inverse_type_id,
      label: row.label,
    })),
  ];
}

const allRecords: VisibilityScope = { kind: 'all' };

/**
 * A live record of the given type, or 404 (an archived record cannot take associations).
 * A record outside the caller's owner-based visibility is a 404 too, so its id leaks nothing.
 */
export async function requireLiveRecord(
  db: Kysely<DB>,
  ref: { type: ObjectType; id: string | number },
  field = 'id',
  scope: VisibilityScope = allRecords,
): Promise<RecordRef> {
  const id = Number(ref.id);
  const row = Number.isSafeInteger(id) ? await findObject(db, id) : undefined;
  if (
    !row ||
    row.archived === 1 ||
    row.object_type !== ref.type ||
    !inScope(scope, row.owner_id ?? undefined)
  ) {
    throw new AppError('not_found', `${ref.type} ${ref.id} was not found`, [
      { field, message: `no ${ref.type} with id ${ref.id}` },
    ]);
  }
  return { type: ref.type, id };
}

/**
 * Associates two records with the given kinds. The unlabeled default association is always
 * written too (HubSpot keeps it under every labelled one), and each row has its inverse.
 */
export async function associate(
  db: Kysely<DB>,
  now: string,
  from: RecordRef,
  to: RecordRef,
  specs: AssociationSpecInput[],
): Promise<AssociationKind[]> {
  const kinds = await kindsBetween(db, from.type, to.type);
  const chosen: AssociationKind[] = [defaultKind(from.type, to.type)];
  specs.forEach((spec, i) => {
    const kind = kinds.find(
      (k) => k.category === spec.associationCategory && k.typeId === spec.associationTypeId,
    );
    if (!kind) {
      throw new AppError(
        'bad_request',
        `${spec.associationCategory} ${spec.associationTypeId} is not a valid association type from ${from.type} to ${to.type}`,
        [{ field: `types[${i}].associationTypeId`, message: 'unknown association type' }],
      );
    }
    if (!chosen.some((c) => c.category === kind.category && c.typeId === kind.typeId)) {
      chosen.push(kind);
    }
  });
  await repo.insertAssociationRows(
    db,
    chosen.flatMap((kind) => [
      {
        from_type: from.type,
        from_id: from.id,
        to_type: to.type,
        to_id: to.id,
        category: kind.category,
        type_id: kind.typeId,
        created_at: now,
      },
      {
        from_type: to.type,
        from_id: to.id,
        to_type: from.type,
        to_id: from.id,
        category: kind.category,
        type_id: kind.inverseTypeId,
        created_at: now,
      },
    ]),
  );
  return chosen;
}

export interface AssociatedRecord {
  toObjectId: number;
  associationTypes: { category: string; typeId: number; label: string | null }[];
}

export async function listAssociations(
  deps: Pick<Deps, 'db'>,
  from: { type: ObjectType; id: string },
  toType: ObjectType,
  page: { after: number | undefined; limit: number },
  scope: VisibilityScope = allRecords,
): Promise<{ results: AssociatedRecord[]; after: number | undefined }> {
  const ref = await requireLiveRecord(deps.db, from, 'objectId', scope);
  const kinds = await kindsBetween(deps.db, ref.type, toType);
  const labelOf = (category: string, typeId: number) =>
    kinds.find((k) => k.category === category && k.typeId === typeId)?.label ?? null;
  // Associated records the caller cannot see are left out (in the query, so pages stay full).
  const { ids, rows } = await repo.listAssociationRows(deps.db, {
    fromId: ref.id,
    toType,
    ...page,
    ...(scope.kind === 'owners' ? { ownerIds: scope.ownerIds } : {}),
  });
  const results = ids.slice(0, page.limit).map((toId) => ({
    toObjectId: toId,
    associationTypes: rows
      .filter((r) => Number(r.to_id) === toId)
      .map((r) => ({
        category: r.category,
        typeId: r.type_id,
        label: labelOf(r.category, r.type_id),
      })),
  }));
  return { results, after: ids.length > page.limit ? results.at(-1)?.toObjectId : undefined };
}

export interface LabelsBetween {
  fromObjectTypeId: string;
  fromObjectId: string;
  toObjectTypeId: string;
  toObjectId: string;
  labels: string[];
}

/** v4 PUT: associate two existing records with labels; answers the labels now between them. */
export async function associateRecords(
  deps: Pick<Deps, 'db' | 'clock'>,
  from: { type: ObjectType; id: string },
  to: { type: ObjectType; id: string },
  specs: AssociationSpecInput[],
  scope: VisibilityScope = allRecords,
): Promise<LabelsBetween> {
  return deps.db.transaction().execute(async (trx) => {
    const a = await requireLiveRecord(trx, from, 'objectId', scope);
    const b = await requireLiveRecord(trx, to, 'toObjectId', scope);
    const kinds = await associate(trx, iso(deps.clock.now()), a, b, specs);
    return {
      fromObjectTypeId: objectTypeId(a.type),
      fromObjectId: String(a.id),
      toObjectTypeId: objectTypeId(b.type),
      toObjectId: String(b.id),
      labels: kinds.flatMap((k) => (k.label === null ? [] : [k.label])),
    };
  });
}

/** Removes every association between two records (HubSpot's v4 DELETE). */
export async function removeAssociation(
  deps: Pick<Deps, 'db'>,
  from: { type: ObjectType; id: string },
  to: { type: ObjectType; id: string },
  scope: VisibilityScope = allRecords,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const a = await requireLiveRecord(trx, from, 'objectId', scope);
    const b = await requireLiveRecord(trx, to, 'toObjectId', scope);
    await repo.deleteAssociationsBetween(trx, a.id, b.id);
  });
}

export async function listLabels(deps: Pick<Deps, 'db'>, from: ObjectType, to: ObjectType) {
  const kinds = await kindsBetween(deps.db, from, to);
  return kinds.map((k) => ({ category: k.category, typeId: k.typeId, label: k.label }));
}

/** A user-defined label for a pair of types, with its inverse (both directions get an id). */
export async function createLabel(
  deps: Pick<Deps, 'db' | 'clock'>,
  from: ObjectType,
  to: ObjectType,
  input: { label: string; name: string; inverseLabel?: string | undefined },
) {
  return deps.db.transaction().execute(async (trx) => {
    const existing = await repo.listLabelRows(trx, from, to);
    if (existing.some((row) => row.name === input.name)) {
      throw conflict(`an association label named ${input.name} exists from ${from} to ${to}`);
    }
    const typeId = Math.max(await repo.maxLabelTypeId(trx), firstLabelTypeId - 1) + 1;
    const inverseTypeId = from === to && input.inverseLabel === undefined ? typeId : typeId + 1;
    const now = iso(deps.clock.now());
    const rows = [
      {
        type_id: typeId,
        inverse_type_id: inverseTypeId,
        from_type: from,
        to_type: to,
        label: input.label,
        name: input.name,
        created_at: now,
      },
    ];
    if (inverseTypeId !== typeId) {
      rows.push({
        type_id: inverseTypeId,
        inverse_type_id: typeId,
        from_type: to,
        to_type: from,
        label: input.inverseLabel ?? input.label,
        name: `${input.name}_inverse`,
        created_at: now,
      });
    }
    await repo.insertLabelRows(trx, rows);
    return rows.map((r) => ({ category: 'USER_DEFINED', typeId: r.type_id, label: r.label }));
  });
}

async function requireLabel(db: Kysely<DB>, from: ObjectType, to: ObjectType, typeId: number) {
  const row = await repo.findLabelRow(db, typeId);
  if (!row || row.from_type !== from || row.to_type !== to) {
    throw notFound(`association label ${typeId} from ${from} to ${to}`);
  }
  return row;
}

export async function updateLabel(
  deps: Pick<Deps, 'db'>,
  from: ObjectType,
  to: ObjectType,
  input: { associationTypeId: number; label: string; inverseLabel?: string | undefined },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await requireLabel(trx, from, to, input.associationTypeId);
    await repo.updateLabelRow(trx, row.type_id, input.label);
    if (input.inverseLabel !== undefined && row.inverse_type_id !== row.type_id) {
      await repo.updateLabelRow(trx, row.inverse_type_id, input.inverseLabel);
    }
  });
}

/** Deletes a label and removes it from every association that carried it. */
export async function deleteLabel(
  deps: Pick<Deps, 'db'>,
  from: ObjectType,
  to: ObjectType,
  typeId: number,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await requireLabel(trx, from, to, typeId);
    await repo.deleteLabel(trx, [...new Set([row.type_id, row.inverse_type_id])]);
  });
}
