import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import { defaultKind } from '../associations/association-types.js';
import { type Cell, insertMany, uniqueHolders } from '../objects/bulk.repository.js';
import { uniqueKey } from '../objects/index-rows.js';
import * as objects from '../objects/object.repository.js';
import type { CheckedMapping } from './import.mapping.js';

/** A written row of a chunk: its cells and the record it became. */
export interface WrittenRow {
  n: number;
  cells: Record<string, string>;
  recordId: number;
}

export interface AssociationFailure {
  n: number;
  reason: string;
  column: string;
}

/**
 * Associates each written row with the record its association columns name, as the v4 PUT
 * does (the default kind, both directions), for a whole chunk at once: the keys of each
 * association column are resolved with one query, the rows inserted with one statement.
 * A key naming no live record of the target type fails just that association.
 */
export async function associateByKeys(
  trx: Kysely<DB>,
  mapping: CheckedMapping,
  rows: WrittenRow[],
  now: string,
): Promise<AssociationFailure[]> {
  const failures: AssociationFailure[] = [];
  const inserts: Cell[][] = [];
  for (const a of mapping.associations) {
    const keyed = rows.flatMap((row) => {
      const key = row.cells[a.column]?.trim() ?? '';
      return key === '' ? [] : [{ row, key }];
    });
    if (keyed.length === 0) continue;
    const byId = a.idProperty === undefined || a.idProperty === 'hs_object_id';
    // The id each key resolves to (undefined: no record has it), as `resolveId` answers.
    const resolve = new Map<string, number | undefined>();
    if (byId) {
      for (const { key } of keyed) {
        const id = Number(key);
        resolve.set(key, /^\d+$/.test(key) && Number.isSafeInteger(id) ? id : undefined);
      }
    } else {
      const holders = await uniqueHolders(trx, a.toType, a.idProperty ?? '', [
        ...new Set(keyed.map((k) => uniqueKey(k.key))),
      ]);
      for (const { key } of keyed) resolve.set(key, holders.get(uniqueKey(key)));
    }
    const ids = [...new Set([...resolve.values()].filter((id) => id !== undefined))];
    const live = new Set<number>();
    for (let i = 0; i < ids.length; i += 1000) {
      for (const row of await objects.findObjects(trx, ids.slice(i, i + 1000))) {
        if (row.archived === 0 && row.object_type === a.toType) live.add(Number(row.id));
      }
    }
    const kind = defaultKind(mapping.type, a.toType);
    for (const { row, key } of keyed) {
      const target = resolve.get(key);
      if (target === undefined) {
        failures.push({
          n: row.n,
          column: a.column,
          reason: `association: no ${a.toType} record with ${a.idProperty ?? 'id'} ${key}`,
        });
        continue;
      }
      if (!live.has(target)) {
        failures.push({
          n: row.n,
          column: a.column,
          reason: `association: ${a.toType} ${target} was not found`,
        });
        continue;
      }
      inserts.push(
        [mapping.type, row.recordId, a.toType, target, kind.category, kind.typeId, now],
        [a.toType, target, mapping.type, row.recordId, kind.category, kind.inverseTypeId, now],
      );
    }
  }
  await insertMany(
    trx,
    'crm_associations',
    ['from_type', 'from_id', 'to_type', 'to_id', 'category', 'type_id', 'created_at'],
    inserts,
    { ignoreDuplicates: true },
  );
  return failures;
}
