import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type {
  DmpDestinationTable,
  DmpExportDeliveryTable,
  DmpExportMappingTable,
  DmpExportRunTable,
} from './export.tables.js';

export function insertDestination(db: Kysely<DB>, row: Insertable<DmpDestinationTable>) {
  return db.insertInto('dmp_destinations').values(row).execute();
}

export function findDestination(db: Kysely<DB>, id: string) {
  return db.selectFrom('dmp_destinations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listDestinations(db: Kysely<DB>, opts: { after?: string; limit: number }) {
  let query = db
    .selectFrom('dmp_destinations')
    .selectAll()
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after) query = query.where('id', '>', opts.after);
  return query.execute();
}

export function updateDestination(
  db: Kysely<DB>,
  id: string,
  changes: Updateable<DmpDestinationTable>,
) {
  return db.updateTable('dmp_destinations').set(changes).where('id', '=', id).execute();
}

/** Deletes a destination with its mappings, state, runs, lines and delivery log. */
export async function deleteDestination(db: Kysely<DB>, id: string): Promise<void> {
  await db
    .deleteFrom('dmp_export_items')
    .where(
      'run_id',
      'in',
      db.selectFrom('dmp_export_runs').select('id').where('destination_id', '=', id),
    )
    .execute();
  for (const table of [
    'dmp_export_runs',
    'dmp_export_deliveries',
    'dmp_export_state',
    'dmp_export_mappings',
  ] as const) {
    await db.deleteFrom(table).where('destination_id', '=', id).execute();
  }
  await db.deleteFrom('dmp_destinations').where('id', '=', id).execute();
}

/**
 * Takes the destination's run lock: the update holds the row lock (PostgreSQL) or the write
 * lock (SQLite) until the transaction ends, so two runs of one destination never interleave.
 */
export async function lockDestination(db: Kysely<DB>, id: string): Promise<number> {
  await db
    .updateTable('dmp_destinations')
    .set((eb) => ({ run_seq: eb('run_seq', '+', 1) }))
    .where('id', '=', id)
    .execute();
  const row = await db
    .selectFrom('dmp_destinations')
    .select('run_seq')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.run_seq);
}

/** Leases a push destination for one worker; false when another holds it. */
export async function leaseDestination(
  db: Kysely<DB>,
  id: string,
  now: string,
  until: string,
): Promise<boolean> {
  const result = await db
    .updateTable('dmp_destinations')
    .set({ lease_until: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Enabled push destinations whose next attempt is due. */
export async function duePushDestinations(db: Kysely<DB>, now: string): Promise<string[]> {
  const rows = await db
    .selectFrom('dmp_destinations')
    .select('id')
    .where('kind', '=', 'push')
    .where('enabled', '=', 1)
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export function insertMapping(db: Kysely<DB>, row: Insertable<DmpExportMappingTable>) {
  return db.insertInto('dmp_export_mappings').values(row).execute();
}

export function findMapping(db: Kysely<DB>, destinationId: string, id: string) {
  return db
    .selectFrom('dmp_export_mappings')
    .selectAll()
    .where('destination_id', '=', destinationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function mappingsOf(db: Kysely<DB>, destinationId: string) {
  return db
    .selectFrom('dmp_export_mappings')
    .selectAll()
    .where('destination_id', '=', destinationId)
    .orderBy('id')
    .execute();
}

/** Active mappings of any of these segments, across destinations. */
export function activeMappingsOfSegments(db: Kysely<DB>, segmentIds: string[]) {
  if (segmentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('dmp_export_mappings')
    .selectAll()
    .where('segment_id', 'in', segmentIds)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
}

export function updateMapping(
  db: Kysely<DB>,
  id: string,
  changes: Updateable<DmpExportMappingTable>,
) {
  return db.updateTable('dmp_export_mappings').set(changes).where('id', '=', id).execute();
}

export async function deleteMapping(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('dmp_export_mappings').where('id', '=', id).execute();
}

/** Whether the destination still holds IDs of this segment. */
export async function holdsAny(db: Kysely<DB>, destinationId: string, segmentId: string) {
  const row = await db
    .selectFrom('dmp_export_state')
    .select('id')
    .where('destination_id', '=', destinationId)
    .where('segment_id', '=', segmentId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function traitLabels(
  db: Kysely<DB>,
  traitIds: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(traitIds.map((id) => [id, []]));
  if (traitIds.length === 0) return out;
  const rows = await db
    .selectFrom('dmp_trait_labels')
    .selectAll()
    .where('trait_id', 'in', traitIds)
    .orderBy('label')
    .execute();
  for (const row of rows) out.get(row.trait_id)?.push(row.label);
  return out;
}

export async function replaceTraitLabels(db: Kysely<DB>, traitId: string, labels: string[]) {
  await db.deleteFrom('dmp_trait_labels').where('trait_id', '=', traitId).execute();
  if (labels.length === 0) return;
  await db
    .insertInto('dmp_trait_labels')
    .values(labels.map((label) => ({ trait_id: traitId, label })))
    .execute();
}

export function insertRun(db: Kysely<DB>, row: Insertable<DmpExportRunTable>) {
  return db.insertInto('dmp_export_runs').values(row).execute();
}

export function updateRun(db: Kysely<DB>, id: string, changes: Updateable<DmpExportRunTable>) {
  return db.updateTable('dmp_export_runs').set(changes).where('id', '=', id).execute();
}

export function findRun(db: Kysely<DB>, destinationId: string, id: string) {
  return db
    .selectFrom('dmp_export_runs')
    .selectAll()
    .where('destination_id', '=', destinationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Runs of a destination, newest first. */
export function listRuns(
  db: Kysely<DB>,
  destinationId: string,
  opts: { before?: number; limit: number },
) {
  let query = db
    .selectFrom('dmp_export_runs')
    .selectAll()
    .where('destination_id', '=', destinationId)
    .orderBy('seq', 'desc')
    .limit(opts.limit + 1);
  if (opts.before !== undefined) query = query.where('seq', '<', opts.before);
  return query.execute();
}

/** Drops the lines of all but the newest `keep` runs of a destination. */
export async function pruneRunLines(db: Kysely<DB>, destinationId: string, keep: number) {
  const old = await db
    .selectFrom('dmp_export_runs')
    .select('id')
    .where('destination_id', '=', destinationId)
    .where('pruned', '=', 0)
    .orderBy('seq', 'desc')
    .offset(keep)
    .limit(1000)
    .execute();
  const ids = old.map((r) => r.id);
  if (ids.length === 0) return;
  await db.deleteFrom('dmp_export_items').where('run_id', 'in', ids).execute();
  await db.updateTable('dmp_export_runs').set({ pruned: 1 }).where('id', 'in', ids).execute();
}

/** One page of a run's lines in file order. */
export function runLines(db: Kysely<DB>, runId: string, afterSeq: number, limit: number) {
  return db
    .selectFrom('dmp_export_items')
    .select(['seq', 'segment_key', 'id', 'action'])
    .where('run_id', '=', runId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export function insertDelivery(db: Kysely<DB>, row: Insertable<DmpExportDeliveryTable>) {
  return db.insertInto('dmp_export_deliveries').values(row).execute();
}

/** The push log of a destination, newest first. */
export function listDeliveries(
  db: Kysely<DB>,
  destinationId: string,
  opts: { before?: number; limit: number },
) {
  let query = db
    .selectFrom('dmp_export_deliveries')
    .selectAll()
    .where('destination_id', '=', destinationId)
    .orderBy('seq', 'desc')
    .limit(opts.limit + 1);
  if (opts.before !== undefined) query = query.where('seq', '<', opts.before);
  return query.execute();
}
