import { type RawBuilder, sql } from 'kysely';
import { type Db, onPostgres } from './prediction.repository.js';

/** Track events whose properties carry an order amount (`revenue`, else `total`, else `value`). */
export const purchaseEvents = ['Order Completed', 'Product Purchased', 'Purchase', 'purchase'];

const day = 86_400_000;
/** How many of the most frequent other event names become count features. */
const topEventNames = 8;

export interface ProfileFeatures {
  profileId: string;
  values: number[];
}

export interface FeatureSet {
  names: string[];
  rows: ProfileFeatures[];
  /** Event names that became `events_90d:<name>` features, in feature order. */
  eventNames: string[];
}

/** Activity of each profile inside `[from, to)`: what the labels are made of. */
export interface WindowActivity {
  events: number;
  purchases: number;
  revenue: number;
}

/** A numeric property of the payload, or null when absent or not a JSON number. */
function numericProperty(db: Db, name: string): RawBuilder<number | null> {
  if (onPostgres(db)) {
    return sql`case when jsonb_typeof(e.payload::jsonb #> ${sql.lit(`{properties,${name}}`)}) = 'number'
      then (e.payload::jsonb #>> ${sql.lit(`{properties,${name}}`)})::double precision end`;
  }
  return sql`case when json_type(e.payload, ${sql.lit(`$.properties.${name}`)}) in ('integer', 'real')
    then json_extract(e.payload, ${sql.lit(`$.properties.${name}`)}) end`;
}

function amountOf(db: Db): RawBuilder<number> {
  return sql`coalesce(${numericProperty(db, 'revenue')}, ${numericProperty(db, 'total')}, ${numericProperty(db, 'value')}, 0)`;
}

const isPurchase = sql`e.type = 'track' and e.event in (${sql.join(purchaseEvents)})`;

interface AggregateRow {
  profile_id: string;
  first_ts: string;
  last_ts: string;
  n_all: number | string;
  n_7d: number | string;
  n_30d: number | string;
  n_90d: number | string;
  active_days: number | string;
  purchases_all: number | string;
  purchases_30d: number | string;
  purchases_90d: number | string;
  revenue_all: number | string | null;
  revenue_90d: number | string | null;
  last_purchase_ts: string | null;
}

const num = (v: number | string | null | undefined): number => (v == null ? 0 : Number(v));

/**
 * Per-profile features as of `asOf`, from every event before it: one grouped scan of the
 * profile/event join (plus one for the per-name counts), never a query per profile, so it
 * stays linear in the number of events. * A merge re-points the absorbed profile's event rows to the survivor, so grouping by
 * `profile_id` only ever yields current profiles.
 */
export async function extractFeatures(
  db: Db,
  asOf: Date,
  /** The per-name count features a stored model was fitted on; chosen from data when absent. */
  fixedEventNames?: string[],
): Promise<FeatureSet> {
  const at = asOf.toISOString();
  const since = (days: number) => new Date(asOf.getTime() - days * day).toISOString();
  const amount = amountOf(db);
  const result = await sql<AggregateRow>`
    select pe.profile_id as profile_id,
      min(pe.timestamp) as first_ts,
      max(pe.timestamp) as last_ts,
      count(*) as n_all,
      sum(case when pe.timestamp >= ${since(7)} then 1 else 0 end) as n_7d,
      sum(case when pe.timestamp >= ${since(30)} then 1 else 0 end) as n_30d,
      sum(case when pe.timestamp >= ${since(90)} then 1 else 0 end) as n_90d,
      count(distinct substr(pe.timestamp, 1, 10)) as active_days,
      sum(case when ${isPurchase} then 1 else 0 end) as purchases_all,
      sum(case when ${isPurchase} and pe.timestamp >= ${since(30)} then 1 else 0 end) as purchases_30d,
      sum(case when ${isPurchase} and pe.timestamp >= ${since(90)} then 1 else 0 end) as purchases_90d,
      sum(case when ${isPurchase} then ${amount} else 0 end) as revenue_all,
      sum(case when ${isPurchase} and pe.timestamp >= ${since(90)} then ${amount} else 0 end) as revenue_90d,
      max(case when ${isPurchase} then pe.timestamp end) as last_purchase_ts
    from identity_profile_events pe
    join events e on e.seq = pe.seq
    where pe.timestamp < ${at}
    group by pe.profile_id
    order by pe.profile_id`.execute(db);

  const names = fixedEventNames
    ? undefined
    : await sql<{ event: string; n: number | string }>`
    select e.event as event, count(*) as n
    from identity_profile_events pe join events e on e.seq = pe.seq
    where pe.timestamp >= ${since(90)} and pe.timestamp < ${at}
      and e.type = 'track' and e.event is not null and e.event not in (${sql.join(purchaseEvents)})
    group by e.event order by count(*) desc, e.event limit ${topEventNames}`.execute(db);
  const eventNames = fixedEventNames ?? names?.rows.map((r) => r.event) ?? [];

  const perName = new Map<string, number[]>();
  if (eventNames.length > 0) {
    const counts = await sql<{ profile_id: string; event: string; n: number | string }>`
      select pe.profile_id as profile_id, e.event as event, count(*) as n
      from identity_profile_events pe join events e on e.seq = pe.seq
      where pe.timestamp >= ${since(90)} and pe.timestamp < ${at}
        and e.type = 'track' and e.event in (${sql.join(eventNames)})
      group by pe.profile_id, e.event`.execute(db);
    for (const row of counts.rows) {
      const list = perName.get(row.profile_id) ?? new Array<number>(eventNames.length).fill(0);
      list[eventNames.indexOf(row.event)] = num(row.n);
      perName.set(row.profile_id, list);
    }
  }

  const daysSince = (ts: string) => Math.max(0, (asOf.getTime() - Date.parse(ts)) / day);
  const log = (v: number) => Math.log1p(Math.max(0, v));
  const rows = result.rows.map((r): ProfileFeatures => {
    const purchases = num(r.purchases_all);
    const revenue = num(r.revenue_all);
    const tenure = daysSince(r.first_ts);
    return {
      profileId: r.profile_id,
      values: [
        daysSince(r.last_ts),
        // Never having bought reads as "bought just before the first event": a finite value
        // that keeps the feature monotone without a sentinel far outside the data.
        r.last_purchase_ts ? daysSince(r.last_purchase_ts) : tenure + 1,
        purchases > 0 ? 1 : 0,
        tenure,
        log(num(r.n_7d)),
        log(num(r.n_30d)),
        log(num(r.n_90d)),
        log(num(r.n_all)),
        log(num(r.active_days)),
        log(num(r.purchases_30d)),
        log(num(r.purchases_90d)),
        log(purchases),
        log(num(r.revenue_90d)),
        log(revenue),
        log(purchases > 0 ? revenue / purchases : 0),
        log(daysSince(r.last_ts)),
        // Rates over the profile's own lifetime separate a steady buyer from a new one.
        log((30 * purchases) / Math.max(1, tenure)),
        log((30 * num(r.n_all)) / Math.max(1, tenure)),
        // Silence measured in the profile's own rhythm: events it would normally have sent since
        // its last one. A long silence from a frequent visitor signals dormancy.
        log((daysSince(r.last_ts) * num(r.n_all)) / Math.max(1, tenure)),
        ...(perName.get(r.profile_id) ?? new Array<number>(eventNames.length).fill(0)).map(log),
      ],
    };
  });
  return {
    names: [...baseFeatureNames, ...eventNames.map((n) => `events_90d:${n}`)],
    rows,
    eventNames,
  };
}

/** Names of the fixed features, in the order `extractFeatures` writes them. */
export const baseFeatureNames = [
  'recency_days',
  'days_since_purchase',
  'has_purchased',
  'tenure_days',
  'events_7d',
  'events_30d',
  'events_90d',
  'events_all',
  'active_days',
  'purchases_30d',
  'purchases_90d',
  'purchases_all',
  'revenue_90d',
  'revenue_all',
  'avg_order_value',
  'log_recency_days',
  'purchases_per_30d',
  'events_per_30d',
  'expected_events_since_last',
];

/** Index of `recency_days`, the baseline's only feature. */
export const recencyIndex = 0;

/** Events, purchases and revenue per profile inside `[from, to)`, in one grouped scan. */
export async function windowActivity(
  db: Db,
  from: Date,
  to: Date,
): Promise<Map<string, WindowActivity>> {
  const amount = amountOf(db);
  const result = await sql<{
    profile_id: string;
    n: number | string;
    purchases: number | string;
    revenue: number | string | null;
  }>`
    select pe.profile_id as profile_id, count(*) as n,
      sum(case when ${isPurchase} then 1 else 0 end) as purchases,
      sum(case when ${isPurchase} then ${amount} else 0 end) as revenue
    from identity_profile_events pe join events e on e.seq = pe.seq
    where pe.timestamp >= ${from.toISOString()} and pe.timestamp < ${to.toISOString()}
    group by pe.profile_id`.execute(db);
  return new Map(
    result.rows.map((r) => [
      r.profile_id,
      { events: num(r.n), purchases: num(r.purchases), revenue: num(r.revenue) },
    ]),
  );
}
