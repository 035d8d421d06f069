import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { SlaPolicyTable } from './sla.table.js';

export function listPolicyRows(db: Kysely<DB>) {
  return db.selectFrom('crm_sla_policies').selectAll().orderBy('id').execute();
}

export function findPolicyRow(db: Kysely<DB>, id: number) {
  return db.selectFrom('crm_sla_policies').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The policy of a pipeline for a priority; a null priority matches only the catch-all. */
export function findPolicyFor(db: Kysely<DB>, pipelineId: string, priority: string | null) {
  const query = db.selectFrom('crm_sla_policies').selectAll().where('pipeline_id', '=', pipelineId);
  return (
    priority === null ? query.where('priority', 'is', null) : query.where('priority', '=', priority)
  ).executeTakeFirst();
}

export async function insertPolicy(
  db: Kysely<DB>,
  row: Insertable<SlaPolicyTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('crm_sla_policies')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export function updatePolicyRow(db: Kysely<DB>, id: number, changes: Updateable<SlaPolicyTable>) {
  return db.updateTable('crm_sla_policies').set(changes).where('id', '=', id).execute();
}

export function deletePolicyRow(db: Kysely<DB>, id: number) {
  return db.deleteFrom('crm_sla_policies').where('id', '=', id).execute();
}

/** Activities associated with a ticket, of the given types (one index range per type). */
export async function associatedActivityRows(db: Kysely<DB>, ticketId: number, types: string[]) {
  const links = await db
    .selectFrom('crm_associations')
    .select('to_id')
    .distinct()
    .where('from_id', '=', ticketId)
    .where('to_type', 'in', types)
    .execute();
  const ids = links.map((l) => Number(l.to_id));
  if (ids.length === 0) return [];
  return db
    .selectFrom('crm_objects')
    .selectAll()
    .where('id', 'in', ids)
    .where('archived', '=', 0)
    .execute();
}

/** One page of live tickets in id order, for the SLA clock. */
export function ticketPage(db: Kysely<DB>, after: number, limit: number) {
  return db
    .selectFrom('crm_objects')
    .selectAll()
    .where('object_type', '=', 'tickets')
    .where('archived', '=', 0)
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function insertSlaEvents(
  db: Kysely<DB>,
  rows: {
    ticket_id: number;
    policy_id: number;
    kind: string;
    target: string;
    at: string;
    detected_at: string;
  }[],
): Promise<void> {
  for (const row of rows) {
    await db
      .insertInto('crm_sla_events')
      .values(row)
      .onConflict((oc) => oc.columns(['ticket_id', 'kind', 'target']).doNothing())
      .execute();
  }
}

export function slaEventRowsSince(db: Kysely<DB>, afterId: number, limit: number) {
  return db
    .selectFrom('crm_sla_events')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}
