import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

export interface FirstSegment {
  id: string;
  name: string;
  qualifiedAt: string;
}

/**
 * The segment among those some DMP IDs are in now that they qualified for first. The DMP keeps
 * when each current membership began (`qualified_at`) but no history of memberships that
 * expired, so a person acquired through a segment they have since left is credited to the
 * oldest segment they are still in.
 */
export async function firstSegmentOf(
  db: Kysely<DB>,
  dmpIds: string[],
): Promise<FirstSegment | undefined> {
  if (dmpIds.length === 0) return undefined;
  const row = await db
    .selectFrom('dmp_memberships')
    .innerJoin('dmp_segments', 'dmp_segments.id', 'dmp_memberships.segment_id')
    .select(['dmp_segments.id', 'dmp_segments.name', 'dmp_memberships.qualified_at'])
    .where('dmp_memberships.dmp_id', 'in', dmpIds)
    .orderBy('dmp_memberships.qualified_at')
    .orderBy('dmp_segments.id')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, qualifiedAt: row.qualified_at } : undefined;
}
