import { type Kysely, sql } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { MediaKind } from './media.js';

export interface MediaHitInput {
  eventId: string;
  dmpId: string;
  campaign: string;
  creative: string;
  kind: MediaKind;
  /** Attributed segments; empty stores one row with a null segment. */
  segments: string[];
  costMicros: number;
  valueMicros: number;
  at: string;
}

/** Stores one event as one row per attributed segment (or one unattributed row). */
export async function insertMediaHit(db: Kysely<DB>, hit: MediaHitInput): Promise<void> {
  const segments = hit.segments.length > 0 ? hit.segments : [null];
  await db
    .insertInto('dmp_media_hits')
    .values(
      segments.map((segment_id) => ({
        event_id: hit.eventId,
        dmp_id: hit.dmpId,
        campaign: hit.campaign,
        creative: hit.creative,
        kind: hit.kind,
        segment_id,
        cost_micros: hit.costMicros,
        value_micros: hit.valueMicros,
        at: hit.at,
      })),
    )
    .execute();
}

/**
 * The segments of an ID's most recent impression of a campaign at or before `at` and not older
 * than `since`; undefined when there is no such impression.
 */
export async function lastImpressionSegments(
  db: Kysely<DB>,
  dmpId: string,
  campaign: string,
  since: string,
  at: string,
): Promise<string[] | undefined> {
  const last = await db
    .selectFrom('dmp_media_hits')
    .select('event_id')
    .where('dmp_id', '=', dmpId)
    .where('campaign', '=', campaign)
    .where('kind', '=', 'impression')
    .where('at', '>=', since)
    .where('at', '<=', at)
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) return undefined;
  const rows = await db
    .selectFrom('dmp_media_hits')
    .select('segment_id')
    .where('event_id', '=', last.event_id)
    .where('segment_id', 'is not', null)
    .orderBy('segment_id')
    .execute();
  return rows.flatMap((r) => (r.segment_id === null ? [] : [r.segment_id]));
}

/** Figures of one group of rows, as the store sums them. */
export interface MediaSums {
  segmentId: string;
  campaign: string;
  reach: number;
  impressions: number;
  clicks: number;
  conversions: number;
  costMicros: number;
  valueMicros: number;
}

export interface MediaFilter {
  from: string;
  to: string;
  campaign?: string | undefined;
  segment?: string | undefined;
  /** Only these campaigns (the segment totals leave suppressed rows out). */
  campaigns?: string[] | undefined;
}

const count = (kind: MediaKind) =>
  sql<number>`sum(case when kind = ${kind} then 1 else 0 end)`.as(`${kind}s`);

/**
 * Sums attributed rows in `[from, to)`, grouped per segment and campaign, or per segment alone
 * (`campaign` is then empty). Reach counts distinct IDs with an impression; exact, since the
 * rows are at hand.
 */
export async function sumMediaHits(
  db: Kysely<DB>,
  filter: MediaFilter,
  perCampaign: boolean,
): Promise<MediaSums[]> {
  let query = db
    .selectFrom('dmp_media_hits')
    .where('segment_id', 'is not', null)
    .where('at', '>=', filter.from)
    .where('at', '<', filter.to);
  if (filter.campaign !== undefined) query = query.where('campaign', '=', filter.campaign);
  if (filter.segment !== undefined) query = query.where('segment_id', '=', filter.segment);
  if (filter.campaigns !== undefined) {
    if (filter.campaigns.length === 0) return [];
    query = query.where('campaign', 'in', filter.campaigns);
  }
  const rows = await query
    .select([
      'segment_id',
      perCampaign ? 'campaign' : sql<string>`''`.as('campaign'),
      sql<number>`count(distinct case when kind = 'impression' then dmp_id end)`.as('reach'),
      count('impression'),
      count('click'),
      count('conversion'),
      sql<number>`sum(cost_micros)`.as('cost'),
      sql<number>`sum(value_micros)`.as('value'),
    ])
    .groupBy(perCampaign ? ['segment_id', 'campaign'] : ['segment_id'])
    .orderBy('segment_id')
    .$if(perCampaign, (q) => q.orderBy('campaign'))
    .execute();
  // PostgreSQL answers sums and counts of bigints as strings.
  return rows.map((r) => ({
    segmentId: r.segment_id ?? '',
    campaign: r.campaign,
    reach: Number(r.reach),
    impressions: Number(r.impressions),
    clicks: Number(r.clicks),
    conversions: Number(r.conversions),
    costMicros: Number(r.cost),
    valueMicros: Number(r.value),
  }));
}

/** Deletes rows older than `before` (the age limit of the retention period), in batches. */
export async function deleteMediaHitsBefore(
  db: Kysely<DB>,
  before: string,
  batchSize = 5_000,
): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await db
      .selectFrom('dmp_media_hits')
      .select('seq')
      .where('at', '<', before)
      .limit(batchSize)
      .execute();
    if (batch.length === 0) return total;
    await db
      .deleteFrom('dmp_media_hits')
      .where(
        'seq',
        'in',
        batch.map((r) => r.seq),
      )
      .execute();
    total += batch.length;
  }
}
