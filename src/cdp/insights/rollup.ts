import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../storage/schema.js';
import { hourOf, weekOf } from './time.js';

type Db = Kysely<DB>;

/** What the rollups need of one logged event. */
export interface RollupEvent {
  seq: number;
  type: string;
  event: string | null;
  sourceId: string;
  /** Event time, ISO. */
  timestamp: string;
  /** The profile the identity graph placed it on; null when it carried no identifier. */
  profileId: string | null;
}

/** The name insights show for an event: track events by name, other calls as `$<type>`. */
export function insightName(type: string, event: string | null): string {
  return type === 'track' && event ? event : `$${type}`;
}

const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * Folds events into every rollup. The caller runs it in the transaction that also commits the
 * consumer offset, and passes only events beyond that offset, so each event counts once.
 * Volume counts are additive; the per-profile projection is keyed by log position; cohorts
 * take the earliest time seen, so late (older) events move a profile to an earlier cohort.
 */
export async function foldEvents(db: Db, events: RollupEvent[]): Promise<void> {
  if (events.length === 0) return;
  const volume = new Map<
    string,
    { hour: string; name: string; source_id: string; count: number }
  >();
  const projection: {
    seq: number;
    profile_id: string;
    name: string;
    source_id: string;
    at: number;
  }[] = [];
  const firstAt = new Map<string, number>();
  const weeks = new Map<string, Set<string>>();
  for (const e of events) {
    const at = Date.parse(e.timestamp);
    if (Number.isNaN(at)) continue;
    const name = insightName(e.type, e.event);
    const hour = hourOf(at);
    const key = `${hour}\u0000${name}\u0000${e.sourceId}`;
    const v = volume.get(key);
    if (v) v.count++;
    else volume.set(key, { hour, name, source_id: e.sourceId, count: 1 });
    if (!e.profileId) continue;
    projection.push({ seq: e.seq, profile_id: e.profileId, name, source_id: e.sourceId, at });
    const seen = firstAt.get(e.profileId);
    if (seen === undefined || at < seen) firstAt.set(e.profileId, at);
    const w = weeks.get(e.profileId) ?? new Set<string>();
    w.add(weekOf(at));
    weeks.set(e.profileId, w);
  }
  for (const part of chunk([...volume.values()], 500)) {
    await db
      .insertInto('insight_volume')
      .values(part)
      .onConflict((oc) =>
        oc
          .columns(['hour', 'name', 'source_id'])
          .doUpdateSet({ count: sql`insight_volume.count + excluded.count` }),
      )
      .execute();
  }
  for (const part of chunk(projection, 1000)) {
    await db
      .insertInto('insight_profile_events')
      .values(part)
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute();
  }
  await placeProfiles(db, firstAt, weeks);
}

/**
 * Records first-seen times and active weeks. A profile whose first-seen time moves earlier
 * changes cohort, and its week rows follow.
 */
async function placeProfiles(
  db: Db,
  firstAt: Map<string, number>,
  weeks: Map<string, Set<string>>,
): Promise<void> {
  const ids = [...firstAt.keys()];
  const known = new Map<string, { first_at: number; cohort: string }>();
  for (const part of chunk(ids, 500)) {
    const rows = await db
      .selectFrom('insight_profiles')
      .select(['profile_id', 'first_at', 'cohort'])
      .where('profile_id', 'in', part)
      .execute();
    for (const r of rows)
      known.set(r.profile_id, { first_at: Number(r.first_at), cohort: r.cohort });
  }
  const upserts: { profile_id: string; first_at: number; cohort: string }[] = [];
  const recohort: { id: string; cohort: string }[] = [];
  const cohortOf = new Map<string, string>();
  for (const [id, at] of firstAt) {
    const old = known.get(id);
    if (old && old.first_at <= at) {
      cohortOf.set(id, old.cohort);
      continue;
    }
    const cohort = weekOf(at);
    cohortOf.set(id, cohort);
    upserts.push({ profile_id: id, first_at: at, cohort });
    if (old && old.cohort !== cohort) recohort.push({ id, cohort });
  }
  for (const part of chunk(upserts, 1000)) {
    await db
      .insertInto('insight_profiles')
      .values(part)
      .onConflict((oc) =>
        oc.column('profile_id').doUpdateSet({
          first_at: sql`excluded.first_at`,
          cohort: sql`excluded.cohort`,
        }),
      )
      .execute();
  }
  for (const r of recohort) {
    await db
      .updateTable('insight_profile_weeks')
      .set({ cohort: r.cohort })
      .where('profile_id', '=', r.id)
      .execute();
  }
  const weekRows: { profile_id: string; week: string; cohort: string }[] = [];
  for (const [id, set] of weeks) {
    const cohort = cohortOf.get(id) as string; // set for every id with weeks above
    for (const week of set) weekRows.push({ profile_id: id, week, cohort });
  }
  for (const part of chunk(weekRows, 1000)) {
    await db
      .insertInto('insight_profile_weeks')
      .values(part)
      .onConflict((oc) => oc.columns(['profile_id', 'week']).doNothing())
      .execute();
  }
}

/**
 * Moves the rollups of profiles merged into others onto their survivors (merges re-point
 * events in the identity graph; this keeps the projection and cohorts in step).
 */
export async function foldMerged(db: Db, survivors: string[]): Promise<void> {
  let pending = survivors;
  // Everything absorbed, however deep the chain, lands on the batch's survivor.
  const rootOf = new Map(survivors.map((id) => [id, id]));
  for (let hop = 0; hop < 16 && pending.length > 0; hop++) {
    const absorbed: { id: string; into: string }[] = [];
    for (const part of chunk(pending, 500)) {
      const rows = await db
        .selectFrom('identity_profiles')
        .select(['id', 'merged_into'])
        .where('merged_into', 'in', part)
        .execute();
      for (const r of rows) {
        const into = r.merged_into ? rootOf.get(r.merged_into) : undefined;
        if (!into) continue;
        rootOf.set(r.id, into);
        absorbed.push({ id: r.id, into });
      }
    }
    for (const a of absorbed) {
      // Every profile with projected events has a cohort row; none means nothing to move.
      const gone = await db
        .selectFrom('insight_profiles')
        .selectAll()
        .where('profile_id', '=', a.id)
        .executeTakeFirst();
      if (!gone) continue;
      await db
        .updateTable('insight_profile_events')
        .set({ profile_id: a.into })
        .where('profile_id', '=', a.id)
        .execute();
      const weekRows = await db
        .selectFrom('insight_profile_weeks')
        .select('week')
        .where('profile_id', '=', a.id)
        .execute();
      await db.deleteFrom('insight_profile_weeks').where('profile_id', '=', a.id).execute();
      await db.deleteFrom('insight_profiles').where('profile_id', '=', a.id).execute();
      await placeProfiles(
        db,
        new Map([[a.into, Number(gone.first_at)]]),
        new Map([[a.into, new Set(weekRows.map((w) => w.week))]]),
      );
    }
    // Profiles merged into the absorbed ones earlier: follow the chain down.
    pending = absorbed.map((a) => a.id);
  }
}
