import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../storage/schema.js';

type Db = Kysely<DB>;

const onPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;
const members = (audienceId: string) =>
  sql`(select profile_id from audience_members where audience_id = ${audienceId})`;

/** An audience by ID or key. */
export function findAudience(db: Db, idOrKey: string) {
  return db
    .selectFrom('audience_definitions')
    .select(['id', 'key', 'name', 'size', 'created_at'])
    .where((eb) => eb.or([eb('id', '=', idOrKey), eb('key', '=', idOrKey)]))
    .executeTakeFirst();
}

export interface VolumeFilter {
  fromMs: number;
  toMs: number;
  name?: string | undefined;
  sourceId?: string | undefined;
  audienceId?: string | undefined;
  /** Day-or-longer buckets: rows come summed per day (hours outside the range excluded). */
  byDay?: boolean;
}

export interface VolumeRow {
  /** Start of the row's hour, or of its day with `byDay`. */
  startMs: number;
  name: string;
  sourceId: string;
  count: number;
}

/**
 * Counts per hour, name and source. Without an audience they come from the hourly rollup;
 * with one, from the per-profile projection joined to the audience's current members.
 */
export async function volumeRows(db: Db, f: VolumeFilter): Promise<VolumeRow[]> {
  if (!f.audienceId) {
    // Day and week charts read the hourly rollup summed per day: 24 times fewer rows out.
    const byDay = f.byDay === true;
    const bucket = byDay ? sql<string>`substr(hour, 1, 10)` : sql<string>`hour`;
    let q = db
      .selectFrom('insight_volume')
      .select([
        bucket.as('bucket'),
        'name',
        'source_id',
        (eb) => eb.fn.sum<number | string>('count').as('n'),
      ])
      .where('hour', '>=', new Date(f.fromMs).toISOString())
      .where('hour', '<', new Date(f.toMs).toISOString())
      .groupBy([bucket, 'name', 'source_id']);
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    if (f.sourceId !== undefined) q = q.where('source_id', '=', f.sourceId);
    const rows = await q.execute();
    return rows.map((r) => ({
      startMs: Date.parse(byDay ? `${r.bucket}T00:00:00.000Z` : r.bucket),
      name: r.name,
      sourceId: r.source_id,
      count: Number(r.n),
    }));
  }
  const name = f.name === undefined ? sql`` : sql`and e.name = ${f.name}`;
  const source = f.sourceId === undefined ? sql`` : sql`and e.source_id = ${f.sourceId}`;
  const grain = f.byDay ? 86_400_000 : 3_600_000;
  const result = await sql<{ b: number | string; name: string; source_id: string; n: number }>`
    select e.at / ${sql.lit(grain)} as b, e.name, e.source_id, count(*) as n
    from audience_members m
    join insight_profile_events e on e.profile_id = m.profile_id
    where m.audience_id = ${f.audienceId} and e.at >= ${f.fromMs} and e.at < ${f.toMs}
      ${name} ${source}
    group by e.at / ${sql.lit(grain)}, e.name, e.source_id`.execute(db);
  return result.rows.map((r) => ({
    startMs: Number(r.b) * grain,
    name: r.name,
    sourceId: r.source_id,
    count: Number(r.n),
  }));
}

export interface FunnelQuery {
  steps: string[];
  windowMs: number;
  fromMs: number;
  toMs: number;
  audienceId?: string | undefined;
}

/**
 * Profiles reaching each step. Step 1 is a profile's first occurrence of the first event in
 * [from, to); each next step is the first occurrence of its event at or after the time the
 * previous step was reached (strictly after when it repeats the previous event), no later than
 * step 1 + window. One statement: each step is a correlated lookup on (name, profile, at).
 */
export async function funnelCounts(db: Db, q: FunnelQuery): Promise<number[]> {
  const first = q.steps[0] as string;
  const audience = q.audienceId ? sql`and e.profile_id in ${members(q.audienceId)}` : sql``;
  let inner: RawBuilder<unknown> = sql`
    select e.profile_id, min(e.at) as t1, min(e.at) as t_1
    from insight_profile_events e
    where e.name = ${first} and e.at >= ${q.fromMs} and e.at < ${q.toMs} ${audience}
    group by e.profile_id`;
  const cols = ['t_1'];
  for (let i = 1; i < q.steps.length; i++) {
    const prev = sql.ref(`s.t_${i}`);
    const op = q.steps[i] === q.steps[i - 1] ? sql`>` : sql`>=`;
    const carried = sql.join(cols.map((c) => sql.ref(`s.${c}`)));
    inner = sql`
      select s.profile_id, s.t1, ${carried}, case when ${prev} is null then null else (
        select min(x.at) from insight_profile_events x
        where x.name = ${q.steps[i]} and x.profile_id = s.profile_id
          and x.at ${op} ${prev} and x.at <= s.t1 + ${q.windowMs}
      ) end as ${sql.ref(`t_${i + 1}`)}
      from (${inner}) s`;
    cols.push(`t_${i + 1}`);
  }
  const counts = sql.join(cols.map((c, i) => sql`count(${sql.ref(c)}) as ${sql.ref(`c${i}`)}`));
  const result = await sql<Record<string, number | string>>`
    select ${counts} from (${inner}) f`.execute(db);
  const row = result.rows[0] ?? {};
  return cols.map((_, i) => Number(row[`c${i}`] ?? 0));
}

/** Active profiles per (cohort week, activity week) for cohorts in [fromWeek, toWeek). */
export async function retentionRows(
  db: Db,
  q: { fromWeek: string; toWeek: string; audienceId?: string | undefined },
) {
  let query = db
    .selectFrom('insight_profile_weeks')
    .select(['cohort', 'week', (eb) => eb.fn.countAll<number>().as('n')])
    .where('cohort', '>=', q.fromWeek)
    .where('cohort', '<', q.toWeek)
    .groupBy(['cohort', 'week']);
  const audienceId = q.audienceId;
  if (audienceId)
    query = query.where('profile_id', 'in', (eb) =>
      eb.selectFrom('audience_members').select('profile_id').where('audience_id', '=', audienceId),
    );
  const rows = await query.execute();
  return rows.map((r) => ({ cohort: r.cohort, week: r.week, n: Number(r.n) }));
}

/** Net entries and exits per day of one audience's membership history. */
export async function membershipByDay(db: Db, audienceId: string) {
  const rows = await sql<{ day: string; entered: number | string; exited: number | string }>`
    select substr(at, 1, 10) as day,
      sum(case when kind = 'entered' then 1 else 0 end) as entered,
      sum(case when kind = 'exited' then 1 else 0 end) as exited
    from audience_membership_log where audience_id = ${audienceId}
    group by substr(at, 1, 10) order by day`.execute(db);
  return rows.rows.map((r) => ({
    day: r.day,
    entered: Number(r.entered),
    exited: Number(r.exited),
  }));
}

export async function computedTraitId(db: Db, key: string) {
  const row = await db
    .selectFrom('audience_traits')
    .select('id')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.id;
}

export interface ValueCount {
  /** The value as JSON text (one spelling per value, so equal values group together). */
  json: string;
  count: number;
}

/**
 * Distinct values of a profile trait (dotted path) or a computed trait among current
 * profiles, with counts. Each row's JSON is parsed once (SQLite `->`, PostgreSQL `#>`) and
 * grouped by its JSON text; the caller decodes the few distinct values.
 */
export async function traitValueCounts(
  db: Db,
  q: { path: string[]; computedTraitId?: string | undefined; audienceId?: string | undefined },
): Promise<{ values: ValueCount[]; profiles: number }> {
  const pg = onPostgres(db);
  const audience = q.audienceId ? sql`and p.id in ${members(q.audienceId)}` : sql``;
  let source: RawBuilder<unknown>;
  let json: RawBuilder<unknown>;
  if (q.computedTraitId) {
    // Computed values are stored as JSON text already.
    source = sql`identity_profiles p join audience_trait_states s
      on s.profile_id = p.id and s.trait_id = ${q.computedTraitId}`;
    json = sql`s.value`;
  } else {
    source = sql`identity_profiles p`;
    json = pg
      ? sql`(p.traits::jsonb #> ${sql.lit(`{${q.path.join(',')}}`)})::text`
      : sql`(p.traits -> ${sql.lit(`$${q.path.map((p) => `."${p}"`).join('')}`)})`;
  }
  const [values, total] = await Promise.all([
    sql<{ json: string; n: number | string }>`
      select k.json, count(*) as n from (
        select ${json} as json from ${source}
        where p.merged_into is null ${audience}
      ) k where k.json is not null and k.json <> 'null'
      group by k.json`.execute(db),
    sql<{ n: number | string }>`
      select count(*) as n from identity_profiles p where p.merged_into is null ${audience}`.execute(
      db,
    ),
  ]);
  return {
    values: values.rows.map((r) => ({ json: r.json, count: Number(r.n) })),
    profiles: Number(total.rows[0]?.n ?? 0),
  };
}
