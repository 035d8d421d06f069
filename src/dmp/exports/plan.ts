import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { DB } from '../../storage/schema.js';
import { findSegment } from '../segments/segment.repository.js';
import { disableConflicting } from './destination.service.js';
import { holdsAny } from './export.repository.js';
import type { DmpDestinationRow, DmpExportMappingRow } from './export.tables.js';
import { type ExportTarget, exportableCount } from './members.js';

/**
 * What one export (batch run or push) does with one mapping:
 * - `deliver`: the segment's exportable IDs go out (full or delta);
 * - `suppressed`: fewer exportable IDs than the minimum size: nothing about the segment goes
 *   out, not even removals, and what the destination holds stays as it is;
 * - `retract`: the mapping was deleted, disabled (label conflict, or by a user) or its segment
 *   deleted: every ID the destination holds for it is removed;
 * - `idle`: a disabled mapping with nothing left to take back.
 */
export type MappingPlan =
  | { action: 'deliver'; target: ExportTarget; mapping: DmpExportMappingRow }
  | { action: 'retract'; target: ExportTarget; mapping: DmpExportMappingRow }
  | { action: 'suppressed'; mapping: DmpExportMappingRow }
  | { action: 'idle'; mapping: DmpExportMappingRow };

/** Per mapping, what an export did (the run summary; push results use it too). */
export interface SegmentOutcome {
  mappingId: string;
  segmentId: string;
  key: string;
  outcome: 'exported' | 'suppressed' | 'retracted' | 'idle' | 'failed';
  added: number;
  removed: number;
  /** Why a mapping was disabled or its IDs taken back. */
  reason?: string;
}

export async function planMapping(
  db: Kysely<DB>,
  destination: DmpDestinationRow,
  mapping: DmpExportMappingRow,
  minSegmentSize: number,
  now: Date,
): Promise<MappingPlan> {
  const target: ExportTarget = { destination, segmentId: mapping.segment_id };
  let row = mapping;
  if (row.status === 'active') {
    if (!(await findSegment(db, row.segment_id))) {
      row = { ...row, status: 'retired', reason: 'segment deleted' };
    } else {
      // Rules and labels may have changed since the mapping was made: ask again every time.
      row = (await disableConflicting(db, [row], iso(now)))[0] ?? row;
    }
  }
  if (row.status !== 'active') {
    return (await holdsAny(db, destination.id, row.segment_id))
      ? { action: 'retract', target, mapping: row }
      : { action: 'idle', mapping: row };
  }
  if ((await exportableCount(db, target)) < minSegmentSize)
    return { action: 'suppressed', mapping: row };
  return { action: 'deliver', target, mapping: row };
}

export function outcomeOf(
  plan: MappingPlan,
  lines: { added: number; removed: number },
  outcome: SegmentOutcome['outcome'],
): SegmentOutcome {
  return {
    mappingId: plan.mapping.id,
    segmentId: plan.mapping.segment_id,
    key: plan.mapping.segment_key,
    outcome,
    added: lines.added,
    removed: lines.removed,
    ...(plan.mapping.reason ? { reason: plan.mapping.reason } : {}),
  };
}
