import type { Kysely } from 'kysely';
import { forgetIds, forgetIdsInStore } from '../../../dmp/index.js';
import type { DB } from '../../../storage/schema.js';
import { hashEmailForId } from '../../pii/index.js';
import type { Participant } from '../participant.js';
import { type Subject, valuesOf } from '../subject.js';

/**
 * The DMP holds no personal data, only pseudonymous DMP IDs; what links one to the person is a
 * `dmp_id` external ID on their CDP events, or a DMP alias keyed by their hashed e-mail or their
 * advertising ID. Erasure forgets those DMP IDs entirely (aliases, matches, traits, segments).
 */
async function dmpIds(db: Kysely<DB>, subject: Subject): Promise<string[]> {
  const ids = new Set(valuesOf(subject, 'dmp_id'));
  const hems = valuesOf(subject, 'email')
    .map((email) => hashEmailForId(email))
    .filter((h): h is string => h !== null);
  const ifas = valuesOf(subject, 'advertising_id').map((v) => v.toLowerCase());
  if (hems.length > 0 || ifas.length > 0) {
    const rows = await db
      .selectFrom('dmp_aliases')
      .select('dmp_id')
      .where((eb) =>
        eb.or([
          eb.and([eb('kind', '=', 'hem'), eb('value', 'in', hems.length > 0 ? hems : [''])]),
          eb.and([eb('kind', '=', 'ifa'), eb('value', 'in', ifas.length > 0 ? ifas : [''])]),
        ]),
      )
      .execute();
    for (const row of rows) ids.add(row.dmp_id);
  }
  if (ids.size === 0) return [];
  const known = await db
    .selectFrom('dmp_ids')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return known.map((r) => r.id);
}

export const dmpParticipant: Participant = {
  store: 'dmp',
  async find(db, subject) {
    return (await dmpIds(db, subject)).length;
  },
  async access(deps, subject) {
    const ids = await dmpIds(deps.db, subject);
    if (ids.length === 0) return [];
    const [rows, segments] = await Promise.all([
      deps.db.selectFrom('dmp_ids').selectAll().where('id', 'in', ids).execute(),
      deps.db
        .selectFrom('dmp_memberships')
        .innerJoin('dmp_segments', 'dmp_segments.id', 'dmp_memberships.segment_id')
        .select(['dmp_memberships.dmp_id', 'dmp_segments.name', 'dmp_memberships.qualified_at'])
        .where('dmp_memberships.dmp_id', 'in', ids)
        .execute(),
    ]);
    return rows.map((r) => ({
      dmpId: r.id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      segments: segments
        .filter((s) => s.dmp_id === r.id)
        .map((s) => ({ name: s.name, qualifiedAt: s.qualified_at })),
    }));
  },
  async erase(deps, subject) {
    const ids = await dmpIds(deps.db, subject);
    if (ids.length === 0) return { affected: 0 };
    if (deps.dmp) {
      await forgetIds({ db: deps.db, clock: deps.clock, dmp: deps.dmp }, ids);
      return { affected: ids.length };
    }
    // No DMP runtime in this process (a worker job): the same deletions in the store; cached
    // hot-store entries then age out on their own.
    await forgetIdsInStore(deps.db, ids);
    const affected = ids.length;
    return { affected, detail: { hotStore: 'not reachable from this process; entries expire' } };
  },
};
