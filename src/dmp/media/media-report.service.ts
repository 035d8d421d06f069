import { iso } from '../../kernel/clock.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { DmpDeps } from '../collect/collect.service.js';
import { allSegments } from '../segments/segment.repository.js';
import { ATTRIBUTION_LOOKBACK_DAYS, checkToken } from './media.js';
import { type MediaSums, sumMediaHits } from './media.repository.js';

/**
 * The media efficiency report: per segment and campaign, and per segment over campaigns.
 *
 * - reach: distinct IDs with an impression; frequency: impressions / reach;
 * - CTR: clicks / impressions; conversion rate: conversions / impressions (same denominator as
 *   CTR, so the two compare directly);
 * - CPA: cost / conversions; ROAS: conversion value / cost.
 *
 * An event attributed to several segments counts fully in each, so figures add up within a
 * segment, never across segments. Every row whose reach is under `minSegmentSize` is suppressed
 * (all figures null). A segment's totals cover only the campaigns whose row is shown: a total
 * that included a hidden row would give it away by subtraction.
 */

const DAY_MS = 86_400_000;
/** Longest period one report covers. */
const MAX_SPAN_DAYS = 366;
const DEFAULT_SPAN_DAYS = 30;

export interface MediaFigures {
  reach: number | null;
  impressions: number | null;
  frequency: number | null;
  clicks: number | null;
  ctr: number | null;
  conversions: number | null;
  conversionRate: number | null;
  costMicros: number | null;
  cpaMicros: number | null;
  valueMicros: number | null;
  roas: number | null;
}

export interface MediaRow extends MediaFigures {
  segmentId: string;
  segmentName: string | null;
  campaign: string;
  suppressed: boolean;
}

export interface MediaTotal extends MediaFigures {
  segmentId: string;
  segmentName: string | null;
  suppressed: boolean;
  /** Campaigns the totals cover (those shown), and those left out as too small. */
  campaigns: number;
  suppressedCampaigns: number;
}

export interface MediaReport {
  from: string;
  to: string;
  minSegmentSize: number;
  attributionLookbackDays: number;
  rows: MediaRow[];
  totals: MediaTotal[];
}

export interface MediaReportQuery {
  from?: string | undefined;
  to?: string | undefined;
  campaign?: string | undefined;
  segment?: string | undefined;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1e6) / 1e6 : null);

const hidden: MediaFigures = {
  reach: null,
  impressions: null,
  frequency: null,
  clicks: null,
  ctr: null,
  conversions: null,
  conversionRate: null,
  costMicros: null,
  cpaMicros: null,
  valueMicros: null,
  roas: null,
};

function figures(s: MediaSums): MediaFigures {
  return {
    reach: s.reach,
    impressions: s.impressions,
    frequency: ratio(s.impressions, s.reach),
    clicks: s.clicks,
    ctr: ratio(s.clicks, s.impressions),
    conversions: s.conversions,
    conversionRate: ratio(s.conversions, s.impressions),
    costMicros: s.costMicros,
    cpaMicros: s.conversions > 0 ? Math.round(s.costMicros / s.conversions) : null,
    valueMicros: s.valueMicros,
    roas: ratio(s.valueMicros, s.costMicros),
  };
}

/** A bound: a date (`2026-03-01`, a whole UTC day) or an ISO-8601 time with a zone. */
function parseBound(
  value: string,
  field: string,
  end: boolean,
  issues: ErrorDetail[],
): Date | undefined {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value);
  const at = day ? new Date(`${value}T00:00:00Z`) : time ? new Date(value) : undefined;
  if (at === undefined || Number.isNaN(at.getTime())) {
    issues.push({ field, message: 'must be a date (2026-03-01) or an ISO-8601 time with a zone' });
    return undefined;
  }
  // `to` as a date includes that whole day.
  return day && end ? new Date(at.getTime() + DAY_MS) : at;
}

function period(deps: DmpDeps, q: MediaReportQuery, issues: ErrorDetail[]) {
  const to = q.to === undefined ? deps.clock.now() : parseBound(q.to, 'to', true, issues);
  const from =
    q.from === undefined
      ? to && new Date(to.getTime() - DEFAULT_SPAN_DAYS * DAY_MS)
      : parseBound(q.from, 'from', false, issues);
  if (!from || !to) return undefined;
  if (from >= to) issues.push({ field: 'from', message: 'must be before to' });
  else if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY_MS) {
    issues.push({ field: 'to', message: `a report covers at most ${MAX_SPAN_DAYS} days` });
  }
  return { from: iso(from), to: iso(to) };
}

export async function mediaReport(deps: DmpDeps, q: MediaReportQuery): Promise<MediaReport> {
  const issues: ErrorDetail[] = [];
  const range = period(deps, q, issues);
  if (q.campaign !== undefined) checkToken(q.campaign, 'campaign', issues);
  if (!range || issues.length > 0) {
    throw new AppError('validation_failed', 'The report parameters are invalid', issues);
  }
  const k = deps.dmp.config.minSegmentSize;
  const names = new Map((await allSegments(deps.db)).map((s) => [s.id, s.name]));
  const filter = { ...range, campaign: q.campaign, segment: q.segment };
  const sums = await sumMediaHits(deps.db, filter, true);
  const rows: MediaRow[] = sums.map((s) => {
    const suppressed = s.reach < k;
    return {
      segmentId: s.segmentId,
      segmentName: names.get(s.segmentId) ?? null,
      campaign: s.campaign,
      suppressed,
      ...(suppressed ? hidden : figures(s)),
    };
  });
  const bySegment = new Map<string, { shown: string[]; hidden: number }>();
  for (const row of rows) {
    const entry = bySegment.get(row.segmentId) ?? { shown: [], hidden: 0 };
    if (row.suppressed) entry.hidden++;
    else entry.shown.push(row.campaign);
    bySegment.set(row.segmentId, entry);
  }
  const totals: MediaTotal[] = [];
  for (const [segmentId, entry] of bySegment) {
    const [sum] = await sumMediaHits(
      deps.db,
      { ...range, segment: segmentId, campaigns: entry.shown },
      false,
    );
    const suppressed = sum === undefined || sum.reach < k;
    totals.push({
      segmentId,
      segmentName: names.get(segmentId) ?? null,
      suppressed,
      campaigns: entry.shown.length,
      suppressedCampaigns: entry.hidden,
      ...(suppressed || sum === undefined ? hidden : figures(sum)),
    });
  }
  return {
    from: range.from,
    to: range.to,
    minSegmentSize: k,
    attributionLookbackDays: ATTRIBUTION_LOOKBACK_DAYS,
    rows,
    totals,
  };
}
