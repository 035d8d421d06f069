import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { CrmRecord } from '../objects/object.js';
import type { ChangeKind, CrmChange, ValueChange } from './change.js';
import type { CrmChangeRow } from './change.table.js';

export interface NewChange {
  objectType: string;
  objectId: number;
  kind: ChangeKind;
  changes: Record<string, ValueChange>;
  actor: string;
  at: string;
}

/**
 * Appends to the change feed. Callers pass the transaction of the record write itself, so a
 * change is visible exactly when the write is: a crash never leaves one without the other.
 */
export async function recordChanges(db: Kysely<DB>, changes: NewChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db
    .insertInto('crm_changes')
    .values(
      changes.map((c) => ({
        object_type: c.objectType,
        object_id: c.objectId,
        kind: c.kind,
        changes: JSON.stringify(c.changes),
        actor: c.actor,
        at: c.at,
      })),
    )
    .execute();
}

/** The feed entry for archiving a record (or for the record merged away into another). */
export function archiveChange(
  record: CrmRecord,
  actor: string,
  now: string,
  mergedInto: number | null = null,
): NewChange {
  return {
    objectType: record.type,
    objectId: record.id,
    kind: 'archived',
    changes: mergedInto === null ? {} : { merged_into: { old: null, new: String(mergedInto) } },
    actor,
    at: now,
  };
}

function toChange(row: CrmChangeRow): CrmChange {
  return {
    id: row.id,
    objectType: row.object_type as CrmChange['objectType'],
    objectId: row.object_id,
    kind: row.kind as ChangeKind,
    changes: JSON.parse(row.changes) as Record<string, ValueChange>,
    actor: row.actor,
    at: row.at,
  };
}

/**
 * Changes with an id above `afterId`, oldest first, at most `limit`. Ids only grow, so a
 * reader keeps the last id it handled as its offset and never misses or repeats an entry.
 */
export async function crmChangesSince(
  db: Kysely<DB>,
  afterId: number,
  limit: number,
): Promise<CrmChange[]> {
  const rows = await db
    .selectFrom('crm_changes')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toChange);
}
