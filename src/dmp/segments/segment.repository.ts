import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { DmpSegmentTable } from '../dmp.tables.js';

export function insertSegment(db: Kysely<DB>, row: Insertable<DmpSegmentTable>) {
  return db.insertInto('dmp_segments').values(row).execute();
}

export function findSegment(db: Kysely<DB>, id: string) {
  return db.selectFrom('dmp_segments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listSegments(db: Kysely<DB>, opts: { after?: string; limit: number }) {
  let query = db
    .selectFrom('dmp_segments')
    .selectAll()
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after) query = query.where('id', '>', opts.after);
  return query.execute();
}

export function allSegments(db: Kysely<DB>) {
  return db.selectFrom('dmp_segments').selectAll().orderBy('id').execute();
}

export function updateSegment(db: Kysely<DB>, id: string, changes: Updateable<DmpSegmentTable>) {
  return db.updateTable('dmp_segments').set(changes).where('id', '=', id).execute();
}

/** Deletes the segment and its memberships. */
export async function deleteSegment(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('dmp_memberships').where('segment_id', '=', id).execute();
  await db.deleteFrom('dmp_segments').where('id', '=', id).execute();
}

export async function deleteMembershipsOf(db: Kysely<DB>, segmentId: string): Promise<void> {
  await db.deleteFrom('dmp_memberships').where('segment_id', '=', segmentId).execute();
}
