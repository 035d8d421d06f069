import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import {
  allAssociationRows,
  insertAssociationRows,
} from '../associations/association.repository.js';
import { kindsBetween } from '../associations/association.service.js';
import type { RawValue } from '../properties/values.js';
import type { Actor, CrmRecord } from './object.js';
import { archiveInTransaction, findRecord } from './object.service.js';
import { applyUpdate, planWrite, writeContext } from './object.writer.js';
import type { ObjectType } from './object-types.js';

/** Types HubSpot can merge. */
export const mergeableTypes: readonly ObjectType[] = ['contacts', 'companies', 'deals', 'tickets'];

/**
 * Merges `objectIdToMerge` into `primaryObjectId`: the primary keeps its values and takes the
 * merged record's values where it has none (a second e-mail becomes `hs_additional_emails`),
 * every association moves to the primary, and the merged record is archived pointing at the
 * primary, so reading it by its old id answers with the primary (as HubSpot does).
 */
export async function mergeRecords(
  deps: Pick<Deps, 'db' | 'clock'>,
  type: ObjectType,
  input: { primaryObjectId: string; objectIdToMerge: string },
  actor: Actor,
): Promise<CrmRecord> {
  if (!mergeableTypes.includes(type)) {
    throw new AppError('bad_request', `${type} records cannot be merged`, [
      { field: 'objectType', message: `merge supports ${mergeableTypes.join(', ')}` },
    ]);
  }
  if (input.primaryObjectId === input.objectIdToMerge) {
    throw new AppError('bad_request', 'A record cannot be merged into itself', [
      { field: 'objectIdToMerge', message: 'equals primaryObjectId' },
    ]);
  }
  return deps.db.transaction().execute(async (trx) => {
    const load = async (raw: string, field: string) => {
      const id = Number(raw);
      const record = Number.isSafeInteger(id) ? await findRecord(trx, type, id) : undefined;
      // A record already merged away resolves to its primary: refuse rather than loop.
      if (!record || String(record.id) !== raw) {
        throw new AppError('not_found', `No ${type} record with id ${raw}`, [
          { field, message: `${raw} was not found` },
        ]);
      }
      return record;
    };
    const primary = await load(input.primaryObjectId, 'primaryObjectId');
    const merged = await load(input.objectIdToMerge, 'objectIdToMerge');
    const now = iso(deps.clock.now());

    const rows = await allAssociationRows(trx, merged.id);
    const moved = [];
    for (const row of rows) {
      const target = Number(row.to_id);
      if (target === primary.id) continue;
      const kinds = await kindsBetween(trx, type, row.to_type as ObjectType);
      const kind = kinds.find((k) => k.category === row.category && k.typeId === row.type_id);
      if (!kind) continue;
      moved.push(
        { ...row, from_id: primary.id, created_at: now },
        {
          from_type: row.to_type,
          from_id: target,
          to_type: type,
          to_id: primary.id,
          category: row.category,
          type_id: kind.inverseTypeId,
          created_at: now,
        },
      );
    }
    await insertAssociationRows(trx, moved);
    await archiveInTransaction(trx, merged, now, primary.id, actor.id);

    const ctx = await writeContext(trx, type, actor, now);
    const fill: Record<string, RawValue> = {};
    for (const [name, value] of Object.entries(merged.properties)) {
      const def = ctx.schema.defs.get(name);
      if (!def || def.readOnly || def.hasUniqueValue) continue;
      if (primary.properties[name] === undefined) fill[name] = value;
    }
    const plan = await planWrite(trx, ctx, fill, primary);
    const mergedIds = [primary.properties.hs_merged_object_ids, String(merged.id)];
    plan.changes.set('hs_merged_object_ids', mergedIds.filter(Boolean).join(';'));
    const extraEmail = merged.properties.email;
    if (
      type === 'contacts' &&
      extraEmail !== undefined &&
      extraEmail !== primary.properties.email
    ) {
      const emails = [primary.properties.hs_additional_emails, extraEmail].filter(Boolean);
      plan.changes.set('hs_additional_emails', emails.join(';'));
    }
    return applyUpdate(trx, ctx, primary, plan);
  });
}
