import { resolveProfileId } from '../../cdp/profiles/index.js';
import { type CrmRecord, listAssociations, searchRecords } from '../../crm/index.js';
import { firstSegmentOf } from '../../dmp/index.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import { consentAllows, consentsFor } from '../../privacy/index.js';
import * as repo from './attribution.repository.js';

type AttributionDeps = Pick<Deps, 'db'>;

export const attributionDimensions = ['campaign', 'dmp_segment'] as const;
export type AttributionDimension = (typeof attributionDimensions)[number];

export interface AttributionRow {
  /** Campaign: `source/name` of the UTM campaign; DMP segment: its ID. */
  key: string;
  label: string;
  deals: number;
  revenue: number;
}

export interface AttributionReport {
  from: string;
  to: string;
  by: AttributionDimension;
  rows: AttributionRow[];
  /** Won deals with no contact matching a profile, or a profile without a campaign / segment. */
  unattributed: { deals: number; revenue: number };
  total: { deals: number; revenue: number };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A bound of the range in ms; a date-only `to` covers that whole day. */
function parseBound(field: 'from' | 'to', raw: string): number {
  const dateOnly = DATE_ONLY.test(raw);
  const ms =
    dateOnly || DATE_TIME.test(raw) ? Date.parse(dateOnly ? `${raw}T00:00:00Z` : raw) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March: the calendar date must survive the round trip.
  const day = raw.slice(0, 10);
  const sameDay = Number.isFinite(ms) && (!dateOnly || new Date(ms).toISOString().startsWith(day));
  if (!sameDay || !validDay(day)) {
    throw new AppError('validation_failed', `${field} is not a date`, [
      { field, message: 'must be YYYY-MM-DD or an ISO 8601 date-time with a zone' },
    ]);
  }
  return field === 'to' && dateOnly ? ms + 86_400_000 : ms;
}

function validDay(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** HubSpot sends `closedate` as epoch milliseconds or as ISO text. */
function closeTime(record: CrmRecord): number | undefined {
  const raw = record.properties.closedate;
  if (raw === undefined || raw === '') return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Revenue of deals closed won in [from, to) by how their person was acquired: the first-touch
 * UTM campaign (the oldest event of the profile with `context.campaign.source` or `.name`) or
 * the DMP segment (the oldest current segment of the profile's DMP IDs, counted only with
 * advertising and profiling consent). A deal belongs to the profile of its first associated
 * contact (lowest ID) whose e-mail is an identifier of a profile; each deal is credited once.
 */
export async function attributionReport(
  deps: AttributionDeps,
  q: { from: string; to: string; by: string },
): Promise<AttributionReport> {
  if (!(attributionDimensions as readonly string[]).includes(q.by)) {
    throw new AppError('validation_failed', 'Unknown attribution dimension', [
      { field: 'by', message: `must be one of ${attributionDimensions.join(', ')}` },
    ]);
  }
  const by = q.by as AttributionDimension;
  const from = parseBound('from', q.from);
  const to = parseBound('to', q.to);
  if (from >= to) {
    throw new AppError('validation_failed', 'The range is empty', [
      { field: 'to', message: 'must be after from' },
    ]);
  }
  const rows = new Map<string, AttributionRow>();
  const unattributed = { deals: 0, revenue: 0 };
  const total = { deals: 0, revenue: 0 };
  const keyOfProfile = new Map<string, { key: string; label: string } | undefined>();
  for await (const deal of wonDeals(deps)) {
    const closed = closeTime(deal);
    if (closed === undefined || closed < from || closed >= to) continue;
    const amount = Number(deal.properties.amount);
    const revenue = Number.isFinite(amount) ? amount : 0;
    total.deals++;
    total.revenue += revenue;
    const profileId = await profileOfDeal(deps, deal);
    let credit: { key: string; label: string } | undefined;
    if (profileId !== undefined) {
      if (!keyOfProfile.has(profileId)) {
        keyOfProfile.set(
          profileId,
          by === 'campaign'
            ? await firstCampaign(deps, profileId)
            : await acquiringSegment(deps, profileId),
        );
      }
      credit = keyOfProfile.get(profileId);
    }
    if (!credit) {
      unattributed.deals++;
      unattributed.revenue += revenue;
      continue;
    }
    const row = rows.get(credit.key) ?? { ...credit, deals: 0, revenue: 0 };
    row.deals++;
    row.revenue += revenue;
    rows.set(credit.key, row);
  }
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    by,
    rows: [...rows.values()].sort((a, b) => b.revenue - a.revenue || a.key.localeCompare(b.key)),
    unattributed,
    total,
  };
}

async function* wonDeals(deps: AttributionDeps): AsyncGenerator<CrmRecord> {
  const won = await repo.wonStages(deps.db);
  if (won.size === 0) return;
  let after: string | undefined;
  do {
    const page = await searchRecords(deps, 'deals', {
      filterGroups: [
        { filters: [{ propertyName: 'dealstage', operator: 'IN', values: [...won.keys()] }] },
      ],
      properties: ['amount', 'closedate', 'dealstage', 'pipeline'],
      limit: 100,
      after,
    });
    for (const deal of page.records) {
      const pipelines = won.get(deal.properties.dealstage ?? '');
      if (pipelines?.has(deal.properties.pipeline || 'default')) yield deal;
    }
    after = page.after;
  } while (after !== undefined);
}

async function profileOfDeal(deps: AttributionDeps, deal: CrmRecord): Promise<string | undefined> {
  const linked = await listAssociations(deps, { type: 'deals', id: String(deal.id) }, 'contacts', {
    after: undefined,
    limit: 100,
  });
  const ids = linked.results.map((l) => Number(l.toObjectId)).sort((a, b) => a - b);
  if (ids.length === 0) return undefined;
  const contacts = await searchRecords(deps, 'contacts', {
    filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'IN', values: ids }] }],
    properties: ['email'],
    limit: 100,
  });
  const byId = new Map(contacts.records.map((c) => [c.id, c]));
  for (const id of ids) {
    const email = byId.get(id)?.properties.email?.trim().toLowerCase();
    if (!email) continue;
    const profileId = await repo.profileByEmails(deps.db, [email]);
    if (profileId !== undefined) return (await resolveProfileId(deps.db, profileId)) ?? profileId;
  }
  return undefined;
}

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

async function firstCampaign(deps: AttributionDeps, profileId: string) {
  let after: { timestamp: string; seq: number } | undefined;
  for (;;) {
    const page = await repo.eventsOldestFirst(deps.db, profileId, after, 200);
    for (const event of page) {
      const payload = asObject(JSON.parse(event.payload));
      const campaign = asObject(asObject(payload?.context)?.campaign);
      const source = text(campaign?.source);
      const name = text(campaign?.name);
      if (source || name) {
        return { key: `${source ?? ''}/${name ?? ''}`, label: name ?? source ?? '' };
      }
    }
    const last = page[page.length - 1];
    if (!last || page.length < 200) return undefined;
    after = { timestamp: last.timestamp, seq: last.seq };
  }
}

async function acquiringSegment(deps: AttributionDeps, profileId: string) {
  const identifiers = await repo.dmpIdsOf(deps.db, profileId);
  const dmpIds = identifiers.filter((i) => i.type === 'dmp_id').map((i) => i.value);
  if (dmpIds.length === 0) return undefined;
  const consents = await consentsFor(deps.db, identifiers);
  if (!consentAllows(consents, 'advertising') || !consentAllows(consents, 'profiling')) {
    return undefined;
  }
  const segment = await firstSegmentOf(deps.db, dmpIds);
  return segment ? { key: segment.id, label: segment.name } : undefined;
}
