import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, notFound } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { deleteAllAssociations } from '../associations/association.repository.js';
import { archiveChange, recordChanges } from '../changes/change.repository.js';
import { listOwnedObjectRows } from '../owners/owner.repository.js';
import type { VisibilityScope } from '../owners/owner.service.js';
import { loadSchema } from '../properties/schema.js';
import type { RawValue } from '../properties/values.js';
import { countDeltas, indexName, uniqueKey } from './index-rows.js';
import { type Actor, type CrmRecord, toRecord } from './object.js';
import * as repo from './object.repository.js';
import {
  type AssociationInput,
  applyCreate,
  applyUpdate,
  planWrite,
  writeContext,
} from './object.writer.js';
import type { ObjectType } from './object-types.js';

type ObjectDeps = Pick<Deps, 'db' | 'clock'>;

export interface CreateInput {
  properties: Record<string, RawValue>;
  associations?: AssociationInput[] | undefined;
}

const noSuchRecord = (type: ObjectType, id: string) =>
  new AppError('not_found', `No ${type} record with id ${id}`, [
    { field: 'objectId', message: `${id} was not found` },
  ]);

/**
 * The record id a path or batch input names: the id itself, or the value of a unique
 * property when `idProperty` says so (`?idProperty=email`). Undefined when nothing matches.
 */
export async function resolveId(
  db: Kysely<DB>,
  type: ObjectType,
  raw: string,
  idProperty: string | undefined,
): Promise<number | undefined> {
  if (idProperty === undefined || idProperty === 'hs_object_id') {
    const id = Number(raw);
    return /^\d+$/.test(raw) && Number.isSafeInteger(id) ? id : undefined;
  }
  const schema = await loadSchema(db, type);
  const def = schema.defs.get(idProperty);
  if (!def?.hasUniqueValue) {
    throw new AppError('bad_request', `${idProperty} is not a unique property of ${type}`, [
      { field: 'idProperty', message: 'must name a unique property' },
    ]);
  }
  return repo.findByUniqueValue(db, type, idProperty, uniqueKey(raw));
}

/** A record by id; a merged record answers with the record it was merged into (as HubSpot). */
export async function findRecord(
  db: Kysely<DB>,
  type: ObjectType,
  id: number,
  opts: { archived?: boolean } = {},
): Promise<CrmRecord | undefined> {
  let row = await repo.findObject(db, id);
  for (let hops = 0; row?.merged_into != null && hops < 10; hops++) {
    row = await repo.findObject(db, row.merged_into);
  }
  if (!row || row.object_type !== type) return undefined;
  if (row.archived === 1 && !opts.archived) return undefined;
  return toRecord(row);
}

export async function getRecord(
  deps: Pick<Deps, 'db'>,
  type: ObjectType,
  rawId: string,
  opts: { idProperty?: string | undefined; archived?: boolean | undefined } = {},
): Promise<CrmRecord> {
  const id = await resolveId(deps.db, type, rawId, opts.idProperty);
  const record =
    id === undefined
      ? undefined
      : await findRecord(deps.db, type, id, { archived: opts.archived ?? false });
  if (!record) throw noSuchRecord(type, rawId);
  return record;
}

export async function listRecords(
  deps: Pick<Deps, 'db'>,
  type: ObjectType,
  page: { after: number | undefined; limit: number; archived: boolean },
  scope: VisibilityScope = { kind: 'all' },
): Promise<{ records: CrmRecord[]; after: number | undefined }> {
  const rows =
    scope.kind === 'all'
      ? await repo.listObjectRows(deps.db, { type, ...page })
      : await listOwnedObjectRows(deps.db, { type, ...page, ownerIds: scope.ownerIds });
  const records = rows.slice(0, page.limit).map(toRecord);
  return { records, after: rows.length > page.limit ? records.at(-1)?.id : undefined };
}

export async function createRecord(
  deps: ObjectDeps,
  type: ObjectType,
  input: CreateInput,
  actor: Actor,
): Promise<CrmRecord> {
  return deps.db.transaction().execute(async (trx) => {
    const ctx = await writeContext(trx, type, actor, iso(deps.clock.now()));
    const plan = await planWrite(trx, ctx, input.properties, undefined, input.associations);
    return applyCreate(trx, ctx, plan);
  });
}

export async function updateRecord(
  deps: ObjectDeps,
  type: ObjectType,
  rawId: string,
  input: { properties: Record<string, RawValue>; idProperty?: string | undefined },
  actor: Actor,
): Promise<CrmRecord> {
  return deps.db.transaction().execute(async (trx) => {
    const id = await resolveId(trx, type, rawId, input.idProperty);
    const current = id === undefined ? undefined : await findRecord(trx, type, id);
    if (!current) throw noSuchRecord(type, rawId);
    const ctx = await writeContext(trx, type, actor, iso(deps.clock.now()));
    const plan = await planWrite(trx, ctx, input.properties, current);
    return applyUpdate(trx, ctx, current, plan);
  });
}

/**
 * Archives a record: it keeps its row (readable with `archived=true`) but leaves every index
 * and loses its associations, so searches and unique checks no longer see it.
 */
export async function archiveInTransaction(
  trx: Kysely<DB>,
  record: CrmRecord,
  now: string,
  mergedInto: number | null = null,
  actor = 'system',
): Promise<void> {
  await recordChanges(trx, [archiveChange(record, actor, now, mergedInto)]);
  await repo.updateObjectRow(trx, record.id, {
    archived: 1,
    archived_at: now,
    updated_at: now,
    merged_into: mergedInto,
  });
  const indexed = [
    ...Object.keys(record.properties).map(indexName),
    'createdate',
    'lastmodifieddate',
  ];
  await repo.deleteAllIndexRows(trx, record.type, record.id, indexed);
  const schema = await loadSchema(trx, record.type);
  await repo.bumpCounts(trx, record.type, countDeltas(schema.defs, record.properties, undefined));
  await deleteAllAssociations(trx, record.id);
}

export async function archiveRecord(
  deps: ObjectDeps,
  type: ObjectType,
  rawId: string,
  actorId = 'system',
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const id = await resolveId(trx, type, rawId, undefined);
    const row = id === undefined ? undefined : await repo.findObject(trx, id);
    // HubSpot answers 204 for an already archived record: archiving is idempotent.
    if (row?.object_type === type && row.archived === 1) return;
    if (!row || row.object_type !== type) throw notFound(`${type} ${rawId}`);
    await archiveInTransaction(trx, toRecord(row), iso(deps.clock.now()), null, actorId);
  });
}
