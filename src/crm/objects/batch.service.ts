import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { inScope, type VisibilityScope } from '../owners/owner.service.js';
import type { RawValue } from '../properties/values.js';
import type { Actor, CrmRecord } from './object.js';
import * as repo from './object.repository.js';
import { archiveInTransaction, type CreateInput, findRecord, resolveId } from './object.service.js';
import {
  applyCreate,
  applyUpdate,
  planWrite,
  type WriteContext,
  writeContext,
} from './object.writer.js';
import type { ObjectType } from './object-types.js';

type BatchDeps = Pick<Deps, 'db' | 'clock'>;

/** Largest batch accepted (HubSpot takes 100; scripts that send more in one call still work). */
export const maxBatchInputs = 1000;

export interface BatchFailure {
  index: number;
  id?: string;
  error: AppError;
}

export interface BatchOutcome<T> {
  results: T[];
  errors: BatchFailure[];
  startedAt: string;
  completedAt: string;
}

export interface UpdateInput {
  id: string;
  idProperty?: string | undefined;
  properties: Record<string, RawValue>;
}

function checkSize(count: number): void {
  if (count > maxBatchInputs) {
    throw new AppError('bad_request', `A batch holds at most ${maxBatchInputs} inputs`, [
      { field: 'inputs', message: `${count} inputs` },
    ]);
  }
}

/**
 * Runs every input in one transaction; an input that fails validation is reported and skipped
 * (nothing of it is written) while the valid ones are applied, which is what lets HubSpot's
 * batch endpoints answer 207 with per-input errors.
 */
async function eachInput<I, T>(
  deps: BatchDeps,
  type: ObjectType,
  actor: Actor,
  inputs: I[],
  idOf: (input: I) => string | undefined,
  step: (trx: Kysely<DB>, ctx: WriteContext, input: I) => Promise<T | undefined>,
): Promise<BatchOutcome<T>> {
  checkSize(inputs.length);
  const startedAt = iso(deps.clock.now());
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const ctx = await writeContext(trx, type, actor, startedAt);
    const results: T[] = [];
    const errors: BatchFailure[] = [];
    for (const [index, input] of inputs.entries()) {
      try {
        const result = await step(trx, ctx, input);
        if (result !== undefined) results.push(result);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const id = idOf(input);
        errors.push({ index, error, ...(id === undefined ? {} : { id }) });
      }
    }
    return { results, errors };
  });
  return { ...outcome, startedAt, completedAt: iso(deps.clock.now()) };
}

export function batchCreate(
  deps: BatchDeps,
  type: ObjectType,
  inputs: CreateInput[],
  actor: Actor,
) {
  return eachInput(
    deps,
    type,
    actor,
    inputs,
    () => undefined,
    async (trx, ctx, input) => {
      const plan = await planWrite(trx, ctx, input.properties, undefined, input.associations);
      return applyCreate(trx, ctx, plan);
    },
  );
}

const allRecords: VisibilityScope = { kind: 'all' };

/** Whether the caller's owner-based visibility lets them see (and so touch) a record. */
const visible = (scope: VisibilityScope, record: CrmRecord) =>
  inScope(scope, record.properties.hubspot_owner_id);

const noSuchRecord = (type: ObjectType, id: string) =>
  new AppError('not_found', `No ${type} record with id ${id}`);

/**
 * The record an input names. One outside the caller's visibility is refused as unknown (not
 * skipped: an upsert must not create a twin of a record the caller cannot see).
 */
async function current(
  trx: Kysely<DB>,
  type: ObjectType,
  input: { id: string; idProperty?: string | undefined },
  scope: VisibilityScope,
) {
  const id = await resolveId(trx, type, input.id, input.idProperty);
  const record = id === undefined ? undefined : await findRecord(trx, type, id);
  if (record && !visible(scope, record)) throw noSuchRecord(type, input.id);
  return record;
}

export function batchUpdate(
  deps: BatchDeps,
  type: ObjectType,
  inputs: UpdateInput[],
  actor: Actor,
  scope: VisibilityScope = allRecords,
) {
  return eachInput(
    deps,
    type,
    actor,
    inputs,
    (i) => i.id,
    async (trx, ctx, input) => {
      const record = await current(trx, type, input, scope);
      if (!record) throw noSuchRecord(type, input.id);
      return applyUpdate(trx, ctx, record, await planWrite(trx, ctx, input.properties, record));
    },
  );
}

/** Creates or updates by `idProperty` (a unique property, or the record id); `new` says which. */
export function batchUpsert(
  deps: BatchDeps,
  type: ObjectType,
  inputs: UpdateInput[],
  actor: Actor,
  scope: VisibilityScope = allRecords,
) {
  return eachInput(
    deps,
    type,
    actor,
    inputs,
    (i) => i.id,
    async (trx, ctx, input) => {
      const record = await current(trx, type, input, scope);
      if (record) {
        const updated = await applyUpdate(
          trx,
          ctx,
          record,
          await planWrite(trx, ctx, input.properties, record),
        );
        return { record: updated, created: false };
      }
      const byId = input.idProperty === undefined || input.idProperty === 'hs_object_id';
      if (byId) throw noSuchRecord(type, input.id);
      const properties = { [input.idProperty ?? '']: input.id, ...input.properties };
      const created = await applyCreate(trx, ctx, await planWrite(trx, ctx, properties, undefined));
      return { record: created, created: true };
    },
  );
}

export async function batchRead(
  deps: BatchDeps,
  type: ObjectType,
  inputs: { id: string }[],
  opts: { idProperty?: string | undefined; archived?: boolean | undefined },
  scope: VisibilityScope = allRecords,
): Promise<BatchOutcome<CrmRecord>> {
  checkSize(inputs.length);
  const startedAt = iso(deps.clock.now());
  const results: CrmRecord[] = [];
  const errors: BatchFailure[] = [];
  for (const [index, input] of inputs.entries()) {
    const id = await resolveId(deps.db, type, input.id, opts.idProperty);
    const record =
      id === undefined
        ? undefined
        : await findRecord(deps.db, type, id, { archived: opts.archived ?? false });
    if (record && visible(scope, record)) results.push(record);
    else errors.push({ index, id: input.id, error: noSuchRecord(type, input.id) });
  }
  return { results, errors, startedAt, completedAt: iso(deps.clock.now()) };
}

/**
 * Archives what exists; ids that do not (or that the caller cannot see) are skipped, as
 * HubSpot answers 204 regardless.
 */
export async function batchArchive(
  deps: BatchDeps,
  type: ObjectType,
  inputs: { id: string }[],
  actorId = 'system',
  scope: VisibilityScope = allRecords,
): Promise<void> {
  checkSize(inputs.length);
  const now = iso(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    for (const input of inputs) {
      const id = await resolveId(trx, type, input.id, undefined);
      const row = id === undefined ? undefined : await repo.findObject(trx, id);
      if (row && row.object_type === type && row.archived === 0) {
        const record = await findRecord(trx, type, row.id);
        if (record && visible(scope, record)) {
          await archiveInTransaction(trx, record, now, null, actorId);
        }
      }
    }
  });
}
