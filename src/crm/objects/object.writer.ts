import type { Kysely } from 'kysely';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import {
  type AssociationSpecInput,
  associate,
  kindsBetween,
  type RecordRef,
} from '../associations/association.service.js';
import { builtInKinds } from '../associations/association-types.js';
import type { ChangeKind, ValueChange } from '../changes/change.js';
import { type NewChange, recordChanges } from '../changes/change.repository.js';
import type { Pipeline } from '../pipelines/pipeline.js';
import { insertStageHistory } from '../pipelines/pipeline.repository.js';
import { loadPipelines } from '../pipelines/pipeline.service.js';
import { resolveStage } from '../pipelines/stage-rules.js';
import type { PropertyDef } from '../properties/property.js';
import { loadSchema, type ObjectSchema } from '../properties/schema.js';
import { normalizeValue, type RawValue } from '../properties/values.js';
import { countDeltas, indexName, indexRowsFor, timeRows, uniqueKey } from './index-rows.js';
import { lifecycleMoveError } from './lifecycle.js';
import type { Actor, CrmRecord } from './object.js';
import * as repo from './object.repository.js';
import { type ObjectType, pipelineProperties } from './object-types.js';

/** What every write of one request shares: the schema, the pipelines, who acts, and when. */
export interface WriteContext {
  type: ObjectType;
  schema: ObjectSchema;
  pipelines: Pipeline[];
  actor: Actor;
  now: string;
}

export async function writeContext(
  db: Kysely<DB>,
  type: ObjectType,
  actor: Actor,
  now: string,
): Promise<WriteContext> {
  const pipelines = pipelineProperties[type] ? await loadPipelines(db, type) : [];
  return { type, schema: await loadSchema(db, type), pipelines, actor, now };
}

export interface AssociationInput {
  to: { id: string };
  types: AssociationSpecInput[];
}

/** A validated write: the values that change (null clears) and the stage moves to record. */
export interface PlannedWrite {
  changes: Map<string, string | null>;
  history: { property: string; from: string | null; to: string | null }[];
  associations: { to: RecordRef; specs: AssociationSpecInput[] }[];
}

export function invalidProperties(errors: ErrorDetail[]): AppError {
  const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new AppError('validation_failed', `Property values were not valid: ${summary}`, errors);
}

/** The values that change and the stage moves of a write, with every rule it breaks. */
export interface PlannedValues {
  changes: Map<string, string | null>;
  history: PlannedWrite['history'];
  errors: ErrorDetail[];
}

/**
 * The in-memory part of planning a write: unknown properties, wrong types and invalid options
 * (each naming its property), owners that are not active users (`ownerActive` answers from a
 * look-up the caller made), backward lifecycle moves and pipeline stages. Pure, so the bulk
 * writer applies exactly these rules to a whole chunk with its look-ups done once.
 */
export function planValues(
  ctx: WriteContext,
  input: Record<string, RawValue>,
  current: CrmRecord | undefined,
  ownerActive: (userId: string) => boolean,
): PlannedValues {
  const errors: ErrorDetail[] = [];
  const changes = new Map<string, string | null>();
  for (const [name, raw] of Object.entries(input)) {
    const def = ctx.schema.defs.get(name);
    if (!def) {
      errors.push({
        field: name,
        message: `PROPERTY_DOESNT_EXIST: ${name} is not a property of ${ctx.type}`,
      });
      continue;
    }
    // Read-only values (id, create date...) are ignored, so a record read can be written back.
    if (def.readOnly) continue;
    const normalized = normalizeValue(def, raw);
    if (!normalized.ok) {
      errors.push({
        field: name,
        message: `INVALID_${def.type.toUpperCase()}: ${normalized.message}`,
      });
      continue;
    }
    if ((current?.properties[name] ?? null) !== normalized.value)
      changes.set(name, normalized.value);
  }
  const owner = changes.get('hubspot_owner_id');
  if (owner && !ownerActive(owner)) {
    errors.push({ field: 'hubspot_owner_id', message: `${owner} is not an active Triad user` });
  }
  const history: PlannedWrite['history'] = [];
  if (changes.has('lifecyclestage')) {
    const from = current?.properties.lifecyclestage;
    const to = changes.get('lifecyclestage') ?? null;
    const refused = lifecycleMoveError(from, to, ctx.actor.role);
    if (refused) errors.push({ field: 'lifecyclestage', message: refused });
    else history.push({ property: 'lifecyclestage', from: from ?? null, to });
  }
  planStage(ctx, current, changes, history, errors);
  return { changes, history, errors };
}

/** The owner a write would set, normalized as `planValues` will see it (to look it up first). */
export function ownerOf(ctx: WriteContext, input: Record<string, RawValue>): string | undefined {
  const def = ctx.schema.defs.get('hubspot_owner_id');
  const raw = input.hubspot_owner_id;
  if (!def || def.readOnly || raw === undefined) return undefined;
  const normalized = normalizeValue(def, raw);
  return normalized.ok && normalized.value !== null ? normalized.value : undefined;
}

/**
 * Validates a create (current undefined) or an update against the type's schema and rules
 * (see `planValues`), then unique values. Throws before anything is written, so a batch can
 * skip just this input.
 */
export async function planWrite(
  db: Kysely<DB>,
  ctx: WriteContext,
  input: Record<string, RawValue>,
  current: CrmRecord | undefined,
  associations: AssociationInput[] = [],
): Promise<PlannedWrite> {
  const owner = ownerOf(ctx, input);
  const active = owner !== undefined && (await repo.activeUserExists(db, owner));
  const { changes, history, errors } = planValues(
    ctx,
    input,
    current,
    (id) => active && id === owner,
  );
  if (errors.length > 0) throw invalidProperties(errors);
  await checkUnique(db, ctx, changes, current);
  return { changes, history, associations: await planAssociations(db, ctx.type, associations) };
}

function planStage(
  ctx: WriteContext,
  current: CrmRecord | undefined,
  changes: Map<string, string | null>,
  history: PlannedWrite['history'],
  errors: ErrorDetail[],
): void {
  const props = pipelineProperties[ctx.type];
  if (!props) return;
  if (current && !changes.has(props.pipeline) && !changes.has(props.stage)) return;
  const was =
    current?.properties[props.pipeline] !== undefined &&
    current.properties[props.stage] !== undefined
      ? {
          pipeline: current.properties[props.pipeline] ?? '',
          stage: current.properties[props.stage] ?? '',
        }
      : undefined;
  const outcome = resolveStage(ctx.pipelines, was, {
    pipeline: changes.get(props.pipeline),
    stage: changes.get(props.stage),
  });
  if (!outcome.ok) {
    errors.push({
      field: outcome.field === 'pipeline' ? props.pipeline : props.stage,
      message: outcome.message,
    });
    return;
  }
  changes.set(props.pipeline, outcome.pipeline);
  changes.set(props.stage, outcome.stage);
  if (was?.pipeline === outcome.pipeline) changes.delete(props.pipeline);
  if (was?.stage === outcome.stage && was.pipeline === outcome.pipeline)
    changes.delete(props.stage);
  else history.push({ property: props.stage, from: was?.stage ?? null, to: outcome.stage });
}

export function uniqueConflict(
  type: ObjectType,
  name: string,
  value: string,
  holder: number,
): AppError {
  return new AppError(
    'conflict',
    `A ${type} record with ${name} ${value} already exists. Existing ID: ${holder}`,
    [{ field: name, message: `already used by ${holder}` }],
  );
}

async function checkUnique(
  db: Kysely<DB>,
  ctx: WriteContext,
  changes: Map<string, string | null>,
  current: CrmRecord | undefined,
): Promise<void> {
  for (const [name, value] of changes) {
    if (value === null || !ctx.schema.defs.get(name)?.hasUniqueValue) continue;
    const holder = await repo.findByUniqueValue(db, ctx.type, name, uniqueKey(value));
    if (holder !== undefined && holder !== current?.id)
      throw uniqueConflict(ctx.type, name, value, holder);
  }
}

async function planAssociations(
  db: Kysely<DB>,
  type: ObjectType,
  inputs: AssociationInput[],
): Promise<PlannedWrite['associations']> {
  const planned: PlannedWrite['associations'] = [];
  for (const [i, input] of inputs.entries()) {
    const id = Number(input.to.id);
    const row = Number.isSafeInteger(id) ? await repo.findObject(db, id) : undefined;
    if (!row || row.archived === 1) {
      throw new AppError('bad_request', `associations[${i}]: no record with id ${input.to.id}`, [
        { field: `associations[${i}].to.id`, message: 'unknown record' },
      ]);
    }
    const to = { type: row.object_type as ObjectType, id };
    const kinds =
      input.types.length === 0
        ? builtInKinds(type, to.type)
        : await kindsBetween(db, type, to.type);
    for (const [j, spec] of input.types.entries()) {
      if (
        !kinds.some(
          (k) => k.category === spec.associationCategory && k.typeId === spec.associationTypeId,
        )
      ) {
        throw new AppError(
          'bad_request',
          `associations[${i}]: ${spec.associationTypeId} is not an association type from ${type} to ${to.type}`,
          [{ field: `associations[${i}].types[${j}]`, message: 'unknown association type' }],
        );
      }
    }
    planned.push({ to, specs: input.types });
  }
  return planned;
}

export function definedValues(
  ctx: WriteContext,
  changes: Map<string, string | null>,
): [PropertyDef, string][] {
  const out: [PropertyDef, string][] = [];
  for (const [name, value] of changes) {
    const def = ctx.schema.defs.get(name);
    if (def && value !== null) out.push([def, value]);
  }
  return out;
}

async function writeHistory(db: Kysely<DB>, ctx: WriteContext, id: number, plan: PlannedWrite) {
  await insertStageHistory(
    db,
    plan.history.map((h) => ({
      object_type: ctx.type,
      object_id: id,
      property: h.property,
      from_value: h.from,
      to_value: h.to,
      changed_at: ctx.now,
      changed_by: ctx.actor.id,
    })),
  );
}

/**
 * The change-feed rows of one write: the write itself (its kind says what automation cares
 * about: a stage move or a merge) and one row per association it made.
 */
export function changeRowsOf(
  ctx: WriteContext,
  id: number,
  kind: ChangeKind,
  before: Record<string, string>,
  plan: Pick<PlannedWrite, 'changes' | 'associations'>,
): NewChange[] {
  const changes: Record<string, ValueChange> = {};
  for (const [name, value] of plan.changes)
    changes[name] = { old: before[name] ?? null, new: value };
  const base = { objectType: ctx.type, objectId: id, actor: ctx.actor.id, at: ctx.now };
  const rows: NewChange[] = [];
  if (kind === 'created' || plan.changes.size > 0) rows.push({ ...base, kind, changes });
  for (const a of plan.associations) {
    rows.push({
      ...base,
      kind: 'associated',
      changes: { associatedWith: { old: null, new: `${a.to.type}:${a.to.id}` } },
    });
  }
  return rows;
}

export function updateKind(
  ctx: WriteContext,
  plan: Pick<PlannedWrite, 'changes' | 'history'>,
): ChangeKind {
  if (plan.changes.has('hs_merged_object_ids')) return 'merged';
  const stage = pipelineProperties[ctx.type]?.stage;
  return stage !== undefined && plan.history.some((h) => h.property === stage)
    ? 'stage_changed'
    : 'updated';
}

export async function applyCreate(
  db: Kysely<DB>,
  ctx: WriteContext,
  plan: PlannedWrite,
): Promise<CrmRecord> {
  const properties: Record<string, string> = {};
  for (const [name, value] of plan.changes) if (value !== null) properties[name] = value;
  const id = await repo.insertObject(db, {
    object_type: ctx.type,
    properties: JSON.stringify(properties),
    owner_id: properties.hubspot_owner_id ?? null,
    created_at: ctx.now,
    updated_at: ctx.now,
    archived: 0,
    archived_at: null,
    merged_into: null,
  });
  const rows = indexRowsFor(ctx.type, id, definedValues(ctx, plan.changes));
  rows.values.push(...timeRows(ctx.type, id, { createdAt: ctx.now, updatedAt: ctx.now }));
  await repo.insertIndexRows(db, rows);
  await repo.bumpCounts(db, ctx.type, countDeltas(ctx.schema.defs, undefined, properties));
  await writeHistory(db, ctx, id, plan);
  for (const a of plan.associations)
    await associate(db, ctx.now, { type: ctx.type, id }, a.to, a.specs);
  await recordChanges(db, changeRowsOf(ctx, id, 'created', {}, plan));
  return {
    id,
    type: ctx.type,
    properties,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    archived: false,
    archivedAt: null,
    mergedInto: null,
  };
}

export async function applyUpdate(
  db: Kysely<DB>,
  ctx: WriteContext,
  current: CrmRecord,
  plan: PlannedWrite,
): Promise<CrmRecord> {
  if (plan.changes.size === 0 && plan.associations.length === 0) return current;
  const properties = { ...current.properties };
  for (const [name, value] of plan.changes) {
    if (value === null) delete properties[name];
    else properties[name] = value;
  }
  await repo.updateObjectRow(db, current.id, {
    properties: JSON.stringify(properties),
    owner_id: properties.hubspot_owner_id ?? null,
    updated_at: ctx.now,
  });
  await repo.deleteIndexRows(db, ctx.type, current.id, [...plan.changes.keys()].map(indexName));
  const rows = indexRowsFor(ctx.type, current.id, definedValues(ctx, plan.changes));
  await repo.insertIndexRows(db, rows);
  await repo.bumpCounts(db, ctx.type, countDeltas(ctx.schema.defs, current.properties, properties));
  await repo.replaceValueRows(
    db,
    ctx.type,
    current.id,
    timeRows(ctx.type, current.id, { updatedAt: ctx.now }),
  );
  await writeHistory(db, ctx, current.id, plan);
  for (const a of plan.associations) {
    await associate(db, ctx.now, { type: ctx.type, id: current.id }, a.to, a.specs);
  }
  await recordChanges(
    db,
    changeRowsOf(ctx, current.id, updateKind(ctx, plan), current.properties, plan),
  );
  return { ...current, properties, updatedAt: ctx.now };
}
