import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

/**
 * Records partner user ID -> DMP ID, then enforces the cap: past `cap` partner IDs for one DMP
 * ID, the oldest rows (lowest `seq`, first in) are evicted. A partner ID that moves to another
 * DMP ID (the partner re-synced from a new browser) is re-pointed, not duplicated.
 */
export async function upsertMatch(
  db: Kysely<DB>,
  row: { partner_id: string; partner_uid: string; dmp_id: string; created_at: string },
  cap: number,
): Promise<void> {
  await db
    .insertInto('dmp_matches')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['partner_id', 'partner_uid'])
        .doUpdateSet({ dmp_id: row.dmp_id, created_at: row.created_at }),
    )
    .execute();
  const excess = await db
    .selectFrom('dmp_matches')
    .select('seq')
    .where('dmp_id', '=', row.dmp_id)
    .orderBy('seq', 'desc')
    .offset(cap)
    .limit(10_000)
    .execute();
  if (excess.length > 0) {
    await db
      .deleteFrom('dmp_matches')
      .where(
        'seq',
        'in',
        excess.map((r) => r.seq),
      )
      .execute();
  }
}

export async function countMatches(db: Kysely<DB>, dmpId: string): Promise<number> {
  const row = await db
    .selectFrom('dmp_matches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('dmp_id', '=', dmpId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function matchesOf(db: Kysely<DB>, dmpId: string) {
  return db
    .selectFrom('dmp_matches')
    .select(['partner_id', 'partner_uid', 'seq'])
    .where('dmp_id', '=', dmpId)
    .orderBy('seq')
    .execute();
}
