import type { Kysely } from 'kysely';
import { AppError } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import type { ChangeKind } from '../changes/change.js';
import type { NewChange } from '../changes/change.repository.js';
import { normalizeValue, type RawValue } from '../properties/values.js';
import * as bulk from './bulk.repository.js';
import {
  countDeltas,
  type IndexRows,
  indexName,
  indexRowsFor,
  timeRows,
  uniqueKey,
} from './index-rows.js';
import { type CrmRecord, toRecord } from './object.js';
import * as repo from './object.repository.js';
import { findRecord } from './object.service.js';
import {
  changeRowsOf,
  definedValues,
  invalidProperties,
  ownerOf,
  planValues,
  uniqueConflict,
  updateKind,
  type WriteContext,
} from './object.writer.js';

/** One row of a bulk write: its properties and, when upserting, the value it is matched on. */
export interface BulkInput {
  key?: string | undefined;
  properties: Record<string, RawValue>;
}

export type BulkResult =
  | { ok: true; id: number; created: boolean }
  | { ok: false; error: AppError };

/** A record as the chunk leaves it: loaded (or new), then changed by the chunk's inputs. */
interface Work {
  /** 0 until a new record is inserted. */
  id: number;
  isNew: boolean;
  record: CrmRecord;
  before: Record<string, string> | undefined;
  /** Properties (index names) the chunk changed, whose index rows are rewritten. */
  changed: Set<string>;
}

interface Op {
  work: Work;
  kind: ChangeKind;
  before: Record<string, string>;
  changes: Map<string, string | null>;
  history: { property: string; from: string | null; to: string | null }[];
}

type Holder = Work | number | null;

/**
 * Writes a chunk of inputs as `batchUpsert` (with `matchOn`) or `batchCreate` (without) would,
 * one input after the other with the same rules and error messages, but with every look-up made
 * once for the chunk and every write a multi-row statement: the records, their index rows,
 * counters, stage history and change-feed rows. Inputs that break a rule are answered with
 * their error and leave nothing behind; the others are written. Runs in the caller's
 * transaction.
 */
export async function bulkWrite(
  trx: Kysely<DB>,
  ctx: WriteContext,
  inputs: BulkInput[],
  matchOn: string | undefined,
): Promise<BulkResult[]> {
  const byId = matchOn === 'hs_object_id';
  const uniqueDefs = [...ctx.schema.defs.values()].filter((d) => d.hasUniqueValue);
  const holders = await loadHolders(trx, ctx, inputs, uniqueDefs, byId ? undefined : matchOn);
  const works = await loadWorks(trx, ctx, inputs, holders, byId);
  const owners = await bulk.activeUserIds(trx, [
    ...new Set(inputs.flatMap((i) => ownerOf(ctx, i.properties) ?? [])),
  ]);
  const holderKey = (name: string, value: string) => `${name}\u0000${uniqueKey(value)}`;
  const workOf = (h: Holder | undefined) => (typeof h === 'number' ? works.get(h) : h);

  const ops: Op[] = [];
  const created: Work[] = [];
  // Errors naming a record created in this chunk are built once it has its id.
  const outcomes: ({ work: Work; created: boolean } | { error: AppError | (() => AppError) })[] =
    [];
  for (const input of inputs) {
    let current: Work | undefined;
    if (matchOn !== undefined) {
      const key = input.key ?? '';
      if (byId) current = /^\d+$/.test(key) ? works.get(Number(key)) : undefined;
      else current = workOf(holders.get(holderKey(matchOn, key))) ?? undefined;
    }
    if (!current && byId) {
      outcomes.push({
        error: new AppError('not_found', `No ${ctx.type} record with id ${input.key}`),
      });
      continue;
    }
    const properties =
      current || matchOn === undefined
        ? input.properties
        : { [matchOn]: input.key ?? '', ...input.properties };
    const plan = planValues(ctx, properties, current?.record, (id) => owners.has(id));
    if (plan.errors.length > 0) {
      outcomes.push({ error: invalidProperties(plan.errors) });
      continue;
    }
    const conflict = firstConflict(ctx, plan.changes, current, holders, holderKey);
    if (conflict) {
      outcomes.push({ error: conflict });
      continue;
    }
    const work: Work = current ?? {
      id: 0,
      isNew: true,
      record: {
        id: 0,
        type: ctx.type,
        properties: {},
        createdAt: ctx.now,
        updatedAt: ctx.now,
        archived: false,
        archivedAt: null,
        mergedInto: null,
      },
      before: undefined,
      changed: new Set(),
    };
    if (!current) created.push(work);
    const before = work.record.properties;
    const after = { ...before };
    for (const [name, value] of plan.changes) {
      if (value === null) delete after[name];
      else after[name] = value;
      work.changed.add(indexName(name));
      if (ctx.schema.defs.get(name)?.hasUniqueValue) {
        if (before[name] !== undefined) holders.set(holderKey(name, before[name]), null);
        if (value !== null) holders.set(holderKey(name, value), work);
      }
    }
    if (!current || plan.changes.size > 0) {
      work.record = { ...work.record, properties: after, updatedAt: ctx.now };
      ops.push({
        work,
        kind: current ? updateKind(ctx, plan) : 'created',
        before,
        changes: plan.changes,
        history: plan.history,
      });
    }
    outcomes.push({ work, created: !current });
  }

  await writeChunk(trx, ctx, created, [...works.values()], ops);
  return outcomes.map((o) =>
    'work' in o
      ? { ok: true, id: o.work.id, created: o.created }
      : { ok: false, error: typeof o.error === 'function' ? o.error() : o.error },
  );
}

/**
 * The first unique value a write would take from another record, as `checkUnique` finds it.
 * The message names the holder's id, which a record created earlier in the chunk only has
 * once it is inserted: the error is built then.
 */
function firstConflict(
  ctx: WriteContext,
  changes: Map<string, string | null>,
  current: Work | undefined,
  holders: Map<string, Holder>,
  holderKey: (name: string, value: string) => string,
): (() => AppError) | undefined {
  for (const [name, value] of changes) {
    if (value === null || !ctx.schema.defs.get(name)?.hasUniqueValue) continue;
    const holder = holders.get(holderKey(name, value)) ?? null;
    if (holder === null) continue;
    const same = typeof holder === 'number' ? holder === current?.id : holder === current;
    if (!same) {
      return () =>
        uniqueConflict(ctx.type, name, value, typeof holder === 'number' ? holder : holder.id);
    }
  }
  return undefined;
}

/** Who holds each unique value the chunk mentions: one IN query per unique property. */
async function loadHolders(
  trx: Kysely<DB>,
  ctx: WriteContext,
  inputs: BulkInput[],
  uniqueDefs: { name: string }[],
  matchOn: string | undefined,
): Promise<Map<string, Holder>> {
  const holders = new Map<string, Holder>();
  for (const def of uniqueDefs) {
    const wanted = new Set<string>();
    for (const input of inputs) {
      if (def.name === matchOn && input.key !== undefined) wanted.add(uniqueKey(input.key));
      const raw = input.properties[def.name];
      const fullDef = ctx.schema.defs.get(def.name);
      if (raw === undefined || !fullDef) continue;
      const normalized = normalizeValue(fullDef, raw);
      if (normalized.ok && normalized.value !== null) wanted.add(uniqueKey(normalized.value));
    }
    if (wanted.size === 0) continue;
    const found = await bulk.uniqueHolders(trx, ctx.type, def.name, [...wanted]);
    for (const [value, id] of found) holders.set(`${def.name}\u0000${value}`, id);
  }
  return holders;
}

/**
 * The existing records the chunk may update, keyed by the id an input names them with (a
 * merged record's id leads to the record it was merged into, as `findRecord` does).
 */
async function loadWorks(
  trx: Kysely<DB>,
  ctx: WriteContext,
  inputs: BulkInput[],
  holders: Map<string, Holder>,
  byId: boolean,
): Promise<Map<number, Work>> {
  const ids = new Set<number>();
  if (byId) {
    for (const input of inputs) {
      const key = input.key ?? '';
      if (/^\d+$/.test(key) && Number.isSafeInteger(Number(key))) ids.add(Number(key));
    }
  }
  for (const h of holders.values()) if (typeof h === 'number') ids.add(h);
  const works = new Map<number, Work>();
  const toWork = (record: CrmRecord): Work => ({
    id: record.id,
    isNew: false,
    record,
    before: record.properties,
    changed: new Set(),
  });
  const all = [...ids];
  for (let i = 0; i < all.length; i += 1000) {
    for (const row of await repo.findObjects(trx, all.slice(i, i + 1000))) {
      let record: CrmRecord | undefined;
      if (row.merged_into !== null) record = await findRecord(trx, ctx.type, row.id);
      else if (row.object_type === ctx.type && row.archived === 0) record = toRecord(row);
      if (!record) continue;
      // One Work per record, whichever id led to it.
      works.set(row.id, works.get(record.id) ?? toWork(record));
      if (record.id !== row.id) works.set(record.id, works.get(row.id) as Work);
    }
  }
  return works;
}

/** Code-unit order: byte order for all but rare text, and only the speed depends on it. */
const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function writeChunk(
  trx: Kysely<DB>,
  ctx: WriteContext,
  created: Work[],
  loaded: Work[],
  ops: Op[],
): Promise<void> {
  const type = ctx.type;
  const ids = await bulk.insertReturningIds(
    trx,
    'crm_objects',
    ['object_type', 'properties', 'owner_id', 'created_at', 'updated_at', 'archived'],
    created.map((w) => [
      type,
      JSON.stringify(w.record.properties),
      w.record.properties.hubspot_owner_id ?? null,
      ctx.now,
      ctx.now,
      0,
    ]),
  );
  created.forEach((w, i) => {
    w.id = ids[i] ?? 0;
    w.record = { ...w.record, id: w.id };
  });
  const updated = [...new Set(loaded)].filter((w) => w.changed.size > 0);
  await bulk.updateObjectRows(
    trx,
    updated.map((w) => ({
      id: w.id,
      properties: JSON.stringify(w.record.properties),
      ownerId: w.record.properties.hubspot_owner_id ?? null,
      updatedAt: ctx.now,
    })),
  );
  // Updated records lose the index rows of what changed (grouped by the same set of
  // properties, so each group is one delete per table), then get them back with the new values.
  const groups = new Map<string, number[]>();
  for (const w of updated) {
    const names = [...w.changed, 'lastmodifieddate'].sort().join('\u0000');
    groups.set(names, [...(groups.get(names) ?? []), w.id]);
  }
  for (const [names, members] of groups) {
    await bulk.deleteIndexRowsOf(trx, type, members, names.split('\u0000'));
  }
  const index: IndexRows = { values: [], tokens: [], unique: [] };
  const add = (rows: IndexRows) => {
    index.values.push(...rows.values);
    index.tokens.push(...rows.tokens);
    index.unique.push(...rows.unique);
  };
  const deltas = new Map<string, number>();
  const addDeltas = (d: Map<string, number>) => {
    for (const [k, v] of d) deltas.set(k, (deltas.get(k) ?? 0) + v);
  };
  for (const w of created) {
    const values = new Map(Object.entries(w.record.properties));
    add(indexRowsFor(type, w.id, definedValues(ctx, values)));
    index.values.push(...timeRows(type, w.id, { createdAt: ctx.now, updatedAt: ctx.now }));
    addDeltas(countDeltas(ctx.schema.defs, undefined, w.record.properties));
  }
  for (const w of updated) {
    const values = new Map(
      Object.entries(w.record.properties).filter(([name]) => w.changed.has(indexName(name))),
    );
    add(indexRowsFor(type, w.id, definedValues(ctx, values)));
    index.values.push(...timeRows(type, w.id, { updatedAt: ctx.now }));
    addDeltas(countDeltas(ctx.schema.defs, w.before, w.record.properties));
  }
  // In primary-key order: each B-tree then takes its rows at a few neighbouring places instead of
  // one random page per row, which roughly halves the cost of the inserts on SQLite.
  index.values.sort((a, b) => order(a.property, b.property) || a.object_id - b.object_id);
  index.tokens.sort(
    (a, b) => order(a.property, b.property) || order(a.token, b.token) || a.object_id - b.object_id,
  );
  index.unique.sort((a, b) => order(a.property, b.property) || order(a.value, b.value));
  await bulk.insertMany(
    trx,
    'crm_values',
    ['object_type', 'property', 'object_id', 'v_text', 'v_num'],
    index.values.map((v) => [
      v.object_type,
      v.property,
      v.object_id,
      v.v_text ?? null,
      v.v_num ?? null,
    ]),
  );
  await bulk.insertMany(
    trx,
    'crm_tokens',
    ['object_type', 'property', 'token', 'object_id'],
    index.tokens.map((t) => [t.object_type, t.property, t.token, t.object_id]),
  );
  await bulk.insertMany(
    trx,
    'crm_unique_values',
    ['object_type', 'property', 'value', 'object_id'],
    index.unique.map((u) => [u.object_type, u.property, u.value, u.object_id]),
  );
  await bulk.bumpCountsMany(trx, type, deltas);
  await bulk.insertMany(
    trx,
    'crm_stage_history',
    ['object_type', 'object_id', 'property', 'from_value', 'to_value', 'changed_at', 'changed_by'],
    ops.flatMap((op) =>
      op.history.map((h) => [type, op.work.id, h.property, h.from, h.to, ctx.now, ctx.actor.id]),
    ),
  );
  const changes: NewChange[] = ops.flatMap((op) =>
    changeRowsOf(ctx, op.work.id, op.kind, op.before, { changes: op.changes, associations: [] }),
  );
  await bulk.insertMany(
    trx,
    'crm_changes',
    ['object_type', 'object_id', 'kind', 'changes', 'actor', 'at'],
    changes.map((c) => [
      c.objectType,
      c.objectId,
      c.kind,
      JSON.stringify(c.changes),
      c.actor,
      c.at,
    ]),
  );
}
