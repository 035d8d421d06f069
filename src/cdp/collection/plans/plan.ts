import type { TrackingPlanRow } from '../ingest.tables.js';
import type { PlanMode } from '../pipeline/index.js';

/** A tracking plan as it is written: one JSON Schema per planned thing. */
export interface PlanDocument {
  mode: PlanMode;
  /** Applies to every message from its root. */
  common?: unknown;
  /** track `properties` schema per event name. */
  track?: Record<string, unknown>;
  /** identify `traits` schema. */
  identify?: unknown;
  /** page `properties` schema. */
  page?: unknown;
}

export interface TrackingPlan extends PlanDocument {
  sourceId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toTrackingPlan(row: TrackingPlanRow): TrackingPlan {
  const doc = JSON.parse(row.plan) as Omit<PlanDocument, 'mode'>;
  return {
    sourceId: row.source_id,
    version: row.version,
    mode: row.mode as PlanMode,
    ...doc,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The stored form of a document: everything but the mode (a column of its own). */
export function planBody(doc: PlanDocument): string {
  return JSON.stringify({
    ...(doc.common === undefined ? {} : { common: doc.common }),
    track: doc.track ?? {},
    ...(doc.identify === undefined ? {} : { identify: doc.identify }),
    ...(doc.page === undefined ? {} : { page: doc.page }),
  });
}
