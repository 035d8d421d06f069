import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import { parseSegmentExpression, referencedTraits } from '../segments/expression.js';
import { findSegment } from '../segments/segment.repository.js';
import { findDestination, traitLabels } from './export.repository.js';
import type { DmpExportMappingRow } from './export.tables.js';
import { type LabelConflict, labelConflicts } from './labels.js';

/** The traits a segment rule names, with their data labels (empty for a missing segment). */
export async function segmentTraitLabels(
  db: Kysely<DB>,
  segmentId: string,
): Promise<Map<string, string[]>> {
  const segment = await findSegment(db, segmentId);
  if (!segment) return new Map();
  // Stored rules were validated when saved; parsing again cannot fail for them.
  const traits = referencedTraits(parseSegmentExpression(segment.expression));
  return traitLabels(db, [...traits].sort());
}

/**
 * The label conflicts of a mapping as things stand now: segment rules and labels change after
 * a mapping is made, so every export asks again.
 */
export async function mappingConflicts(
  db: Kysely<DB>,
  mapping: Pick<DmpExportMappingRow, 'destination_id' | 'segment_id'>,
): Promise<LabelConflict[]> {
  const destination = await findDestination(db, mapping.destination_id);
  if (!destination) return [];
  const labels = JSON.parse(destination.labels) as string[];
  return labelConflicts(await segmentTraitLabels(db, mapping.segment_id), labels);
}
