import type { Insertable } from 'kysely';
import type { PropertyDef } from '../properties/property.js';
import { indexValue, parseTime, tokensOf } from '../properties/values.js';
import type { CrmTokenTable, CrmUniqueValueTable, CrmValueTable } from './object.table.js';
import type { ObjectType } from './object-types.js';

/** Index rows of one record's values (search values, words, unique values). */
export interface IndexRows {
  values: Insertable<CrmValueTable>[];
  tokens: Insertable<CrmTokenTable>[];
  unique: Insertable<CrmUniqueValueTable>[];
}

/** The name a property is indexed under: both last-modified names share one index entry. */
export function indexName(property: string): string {
  return property === 'hs_lastmodifieddate' ? 'lastmodifieddate' : property;
}

/** Unique values are compared case-insensitively (e-mail addresses, domains). */
export function uniqueKey(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * The index rows for a record's values. Pure, so the same layout serves the services and the
 * benchmark's bulk loader.
 */
export function indexRowsFor(
  type: ObjectType,
  id: number,
  values: Iterable<[PropertyDef, string]>,
): IndexRows {
  const rows: IndexRows = { values: [], tokens: [], unique: [] };
  for (const [def, value] of values) {
    rows.values.push({
      object_type: type,
      property: indexName(def.name),
      object_id: id,
      ...indexValue(def, value),
    });
    if (def.searchable) {
      for (const token of tokensOf(value)) {
        rows.tokens.push({ object_type: type, property: def.name, token, object_id: id });
      }
    }
    if (def.hasUniqueValue) {
      rows.unique.push({
        object_type: type,
        property: def.name,
        value: uniqueKey(value),
        object_id: id,
      });
    }
  }
  return rows;
}

/** Index rows of the record times (filterable and sortable like any datetime property). */
export function timeRows(
  type: ObjectType,
  id: number,
  times: { createdAt?: string; updatedAt: string },
): Insertable<CrmValueTable>[] {
  const rows: Insertable<CrmValueTable>[] = [];
  if (times.createdAt !== undefined) {
    rows.push({
      object_type: type,
      property: 'createdate',
      object_id: id,
      v_text: null,
      v_num: parseTime(times.createdAt) ?? null,
    });
  }
  rows.push({
    object_type: type,
    property: 'lastmodifieddate',
    object_id: id,
    v_text: null,
    v_num: parseTime(times.updatedAt) ?? null,
  });
  return rows;
}

/** Whether a property's values are counted (low-cardinality: enumerations and booleans). */
export function isCounted(def: Pick<PropertyDef, 'type'>): boolean {
  return def.type === 'enumeration' || def.type === 'bool';
}

/** The counter key of a type (`*`) or of one value of a counted property. */
export function countKey(property: string, value = ''): string {
  return `${property}\u0000${value}`;
}

/**
 * Counter changes for a record whose counted values go from `before` to `after` (undefined
 * record: created or archived). Keys are those `bumpCounts` takes.
 */
export function countDeltas(
  defs: ReadonlyMap<string, PropertyDef>,
  before: Record<string, string> | undefined,
  after: Record<string, string> | undefined,
): Map<string, number> {
  const deltas = new Map<string, number>();
  const add = (key: string, d: number) => deltas.set(key, (deltas.get(key) ?? 0) + d);
  if (before === undefined) add(countKey('*'), 1);
  if (after === undefined) add(countKey('*'), -1);
  for (const [props, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    for (const [name, value] of Object.entries(props ?? {})) {
      const def = defs.get(name);
      if (def && isCounted(def)) add(countKey(name, indexValue(def, value).v_text ?? ''), sign);
    }
  }
  return deltas;
}
