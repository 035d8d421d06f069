import { type Kysely, sql } from 'kysely';
import { archiveRecord } from '../../../crm/index.js';
import type { DB } from '../../../storage/schema.js';
import { tablesWith } from '../catalog.js';
import { affectedOf, containsAny, type Participant } from '../participant.js';
import { type Subject, valuesOf } from '../subject.js';

/** Contact properties that identify a person the way the identity graph does. */
const identifyingProperties = ['email', 'hs_additional_emails', 'phone', 'mobilephone'];

/**
 * CRM contacts whose e-mail or phone is one of the person's, archived and merged-away records
 * included (they keep their properties). The property text is searched, then each candidate is
 * confirmed on its parsed values, so a substring of a longer address never matches.
 */
async function contactIds(db: Kysely<DB>, subject: Subject): Promise<number[]> {
  const wanted = new Set(valuesOf(subject, 'email', 'phone').map((v) => v.trim().toLowerCase()));
  if (wanted.size === 0) return [];
  const rows = await db
    .selectFrom('crm_objects')
    .select(['id', 'properties'])
    .where('object_type', '=', 'contacts')
    // The CRM keeps e-mails as written (`Ada@Example.com`); the wanted values are lower-cased.
    .where(containsAny(db, 'properties', [...wanted], false, true))
    .execute();
  return rows
    .filter((row) => {
      const props = JSON.parse(row.properties) as Record<string, unknown>;
      return identifyingProperties.some((name) => {
        const value = props[name];
        if (typeof value !== 'string') return false;
        // hs_additional_emails is a `;`-separated list.
        return value.split(';').some((part) => wanted.has(part.trim().toLowerCase()));
      });
    })
    .map((row) => Number(row.id));
}

/**
 * Rows other CRM features key by record (change feed, workflow runs and their steps...), found
 * from the catalog by their `object_id` column so features added later are covered too.
 */
async function eraseRecordRows(db: Kysely<DB>, id: number): Promise<void> {
  const tables = await tablesWith(db, 'object_id');
  if (
    tables.includes('crm_workflow_runs') &&
    (await tablesWith(db, 'run_id')).includes('crm_workflow_run_steps')
  ) {
    await sql`delete from crm_workflow_run_steps where run_id in
      (select id from crm_workflow_runs where object_id = ${id})`.execute(db);
  }
  for (const table of tables.filter((t) => t.startsWith('crm_'))) {
    await sql`delete from ${sql.table(table)} where object_id = ${id}`.execute(db);
  }
}

/** CRM contacts that match the person's e-mail or phone: read in full, deleted on erasure. */
export const crmParticipant: Participant = {
  store: 'crm',
  async find(db, subject) {
    return (await contactIds(db, subject)).length;
  },
  async access(deps, subject) {
    const ids = await contactIds(deps.db, subject);
    if (ids.length === 0) return [];
    const rows = await deps.db
      .selectFrom('crm_objects')
      .select(['id', 'properties', 'owner_id', 'created_at', 'updated_at', 'archived'])
      .where('id', 'in', ids)
      .execute();
    const links = await deps.db
      .selectFrom('crm_associations')
      .select(['from_id', 'to_type', 'to_id'])
      .where('from_id', 'in', ids)
      .execute();
    return rows.map((r) => ({
      type: 'contacts',
      id: String(r.id),
      properties: JSON.parse(r.properties),
      ownerId: r.owner_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      archived: r.archived === 1,
      associations: links
        .filter((l) => Number(l.from_id) === Number(r.id))
        .map((l) => ({ type: l.to_type, id: String(l.to_id) })),
    }));
  },
  async erase(deps, subject) {
    const ids = await contactIds(deps.db, subject);
    let affected = 0;
    for (const id of ids) {
      // Archiving first goes through the CRM's own bookkeeping (search indexes, value counters,
      // associations); the row and its history are then deleted for good.
      await archiveRecord(deps, 'contacts', String(id));
      await deps.db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('crm_stage_history')
          .where('object_type', '=', 'contacts')
          .where('object_id', '=', id)
          .execute();
        await trx
          .deleteFrom('crm_associations')
          .where((eb) => eb.or([eb('from_id', '=', id), eb('to_id', '=', id)]))
          .execute();
        await eraseRecordRows(trx, id);
        affected += affectedOf(
          await trx.deleteFrom('crm_objects').where('id', '=', id).executeTakeFirst(),
        );
      });
    }
    return { affected };
  },
};
