import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../../storage/schema.js';
import type {
  PlanViolationCountTable,
  PlanViolationExampleTable,
  TrackingPlanTable,
} from '../ingest.tables.js';

export function findPlan(db: Kysely<DB>, sourceId: string) {
  return db
    .selectFrom('tracking_plans')
    .selectAll()
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

export function findPlanVersion(db: Kysely<DB>, sourceId: string) {
  return db
    .selectFrom('tracking_plans')
    .select('version')
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

/**
 * Inserts a plan at version 1 or replaces it at the next version. The increment happens in
 * SQL so two concurrent writers can never both produce the same version.
 */
export function upsertPlan(db: Kysely<DB>, row: Omit<Insertable<TrackingPlanTable>, 'version'>) {
  return db
    .insertInto('tracking_plans')
    .values({ ...row, version: 1 })
    .onConflict((oc) =>
      oc.column('source_id').doUpdateSet((eb) => ({
        version: eb('tracking_plans.version', '+', 1),
        mode: row.mode,
        plan: row.plan,
        updated_at: row.updated_at,
      })),
    )
    .execute();
}

export function deletePlan(db: Kysely<DB>, sourceId: string) {
  return db.deleteFrom('tracking_plans').where('source_id', '=', sourceId).executeTakeFirst();
}

/** Adds to the counters; rows must have distinct keys (PostgreSQL refuses a row twice). */
export function addViolationCounts(db: Kysely<DB>, rows: Insertable<PlanViolationCountTable>[]) {
  return db
    .insertInto('plan_violation_counts')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['source_id', 'event_type', 'event_name', 'property', 'kind'])
        .doUpdateSet((eb) => ({
          count: eb('plan_violation_counts.count', '+', eb.ref('excluded.count')),
          last_seen: eb.ref('excluded.last_seen'),
        })),
    )
    .execute();
}

export function insertViolationExamples(
  db: Kysely<DB>,
  rows: Insertable<PlanViolationExampleTable>[],
) {
  return db.insertInto('plan_violation_examples').values(rows).execute();
}

/** Deletes all but the newest `keep` examples of a source. */
export async function pruneViolationExamples(db: Kysely<DB>, sourceId: string, keep: number) {
  const boundary = await db
    .selectFrom('plan_violation_examples')
    .select('seq')
    .where('source_id', '=', sourceId)
    .orderBy('seq', 'desc')
    .offset(keep)
    .limit(1)
    .executeTakeFirst();
  if (!boundary) return;
  await db
    .deleteFrom('plan_violation_examples')
    .where('source_id', '=', sourceId)
    .where('seq', '<=', boundary.seq)
    .execute();
}

export interface ViolationFilter {
  event?: string | undefined;
  kind?: string | undefined;
}

export function listViolationCounts(
  db: Kysely<DB>,
  sourceId: string,
  filter: ViolationFilter,
  limit: number,
) {
  let query = db
    .selectFrom('plan_violation_counts')
    .selectAll()
    .where('source_id', '=', sourceId)
    .orderBy('count', 'desc')
    .orderBy('event_name')
    .orderBy('property')
    .orderBy('kind')
    .limit(limit);
  if (filter.event !== undefined) query = query.where('event_name', '=', filter.event);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  return query.execute();
}

export function listViolationExamples(
  db: Kysely<DB>,
  sourceId: string,
  filter: ViolationFilter,
  limit: number,
) {
  let query = db
    .selectFrom('plan_violation_examples')
    .selectAll()
    .where('source_id', '=', sourceId)
    .orderBy('seq', 'desc')
    .limit(limit);
  if (filter.event !== undefined) query = query.where('event_name', '=', filter.event);
  return query.execute();
}

export function deleteViolations(db: Kysely<DB>, sourceId: string) {
  return Promise.all([
    db.deleteFrom('plan_violation_counts').where('source_id', '=', sourceId).execute(),
    db.deleteFrom('plan_violation_examples').where('source_id', '=', sourceId).execute(),
  ]);
}
