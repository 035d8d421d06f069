import { useQueries, useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client';
import type { Page } from '../../api/types';
import '../../styles/areas.css';

export interface SegmentCount {
  segmentId: string;
  name: string;
  suppressed: boolean;
  count: number | null;
}

export interface Figure {
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  exact: boolean;
}

export interface Reach {
  segmentId: string;
  suppressed: boolean;
  reach: Figure | null;
}

export interface Overlap {
  segmentIds: string[];
  suppressed: boolean;
  overlap: (Figure & { relativeError: number }) | null;
}

export interface Segment {
  id: string;
  name: string;
  description: string;
  expression: string;
  taxonomyIds: number[];
  createdAt: string;
  updatedAt: string;
}

export interface DmpTrait {
  id: string;
  name: string;
  description: string;
  kind: 'rule' | 'onboarded';
  rule: {
    match?: 'all' | 'any';
    conditions: { key: string; op: string; value?: unknown }[];
    frequency?: { min: number; withinDays?: number };
  } | null;
  ttlDays: number;
  createdAt: string;
  updatedAt: string;
}

export interface TaxonomyNode {
  id: number;
  parentId: number | null;
  name: string;
  path: string[];
  source: 'iab' | 'custom';
}

const enc = encodeURIComponent;

export function useSegmentReport() {
  return useQuery({
    queryKey: ['dmp', 'report'],
    queryFn: ({ signal }) =>
      api<{ minSegmentSize: number; data: SegmentCount[] }>('/api/v1/dmp/reports/segments', {
        signal,
      }),
  });
}

export function useReach(id: string, confidence?: number) {
  return useQuery({
    queryKey: ['dmp', 'reach', id, confidence],
    queryFn: ({ signal }) =>
      api<Reach>(withQuery(`/api/v1/dmp/segments/${enc(id)}/reach`, { confidence }), { signal }),
  });
}

export function useReaches(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ['dmp', 'reach', id, undefined],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<Reach>(`/api/v1/dmp/segments/${enc(id)}/reach`, { signal }),
    })),
  });
}

/** Overlaps of every pair of the selected segments (the upper triangle of the matrix). */
export function useOverlaps(ids: string[]) {
  const pairs: [string, string][] = [];
  for (const [i, a] of ids.entries()) for (const b of ids.slice(i + 1)) pairs.push([a, b]);
  const results = useQueries({
    queries: pairs.map(([a, b]) => ({
      queryKey: ['dmp', 'overlap', a, b],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<Overlap>(withQuery(`/api/v1/dmp/segments/${enc(a)}/overlap`, { with: b }), { signal }),
    })),
  });
  return pairs.map((pair, i) => ({ pair, result: results[i] }));
}

export function useSegment(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['dmp', 'segments', id],
    enabled,
    queryFn: ({ signal }) => api<Segment>(`/api/v1/dmp/segments/${enc(id)}`, { signal }),
  });
}

export function useTraits(cursor: string | undefined) {
  return useQuery({
    queryKey: ['dmp', 'traits', cursor],
    queryFn: ({ signal }) =>
      api<Page<DmpTrait>>(withQuery('/api/v1/dmp/traits', { limit: 50, cursor }), { signal }),
  });
}

/** The whole taxonomy (about 1,600 nodes): fetched once, then browsed as a tree here. */
export function useTaxonomy() {
  return useQuery({
    queryKey: ['dmp', 'taxonomy', 'all'],
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) => {
      const all: TaxonomyNode[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<TaxonomyNode> = await api<Page<TaxonomyNode>>(
          withQuery('/api/v1/dmp/taxonomy', { limit: 200, cursor: cursor ?? undefined }),
          { signal },
        );
        all.push(...page.data);
        cursor = page.next;
      } while (cursor);
      return all;
    },
  });
}

export function useTaxonomySearch(q: string) {
  return useQuery({
    queryKey: ['dmp', 'taxonomy', 'search', q],
    enabled: q !== '',
    queryFn: ({ signal }) =>
      api<Page<TaxonomyNode>>(withQuery('/api/v1/dmp/taxonomy', { q, limit: 100 }), { signal }),
  });
}

export const number = new Intl.NumberFormat();

export interface CurvePoint {
  reach: number;
  precision: number;
  recall: number;
  baselinePrecision: number;
  audienceSize: number | null;
  suppressed: boolean;
  lift: number;
}

export interface Lookalike {
  id: string;
  traitId: string;
  name: string;
  seed: { segmentId: string } | { list: string };
  model: 'traitWeight' | 'logistic';
  status: 'trained' | 'active';
  seedSize: number;
  populationSize: number | null;
  minSegmentSize: number;
  curve: CurvePoint[];
  topTraits: { traitId: string; name: string | null; weight: number; lift: number }[];
  activation: { reach: number; audienceSize: number; activatedAt: string } | null;
  trainedAt: string;
}

export function useLookalikes() {
  return useQuery({
    queryKey: ['dmp', 'lookalikes'],
    queryFn: ({ signal }) =>
      api<Page<Lookalike>>(withQuery('/api/v1/dmp/lookalikes', { limit: 100 }), { signal }),
  });
}

export interface MediaFigures {
  suppressed: boolean;
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

export interface MediaReport {
  from: string;
  to: string;
  minSegmentSize: number;
  rows: (MediaFigures & { segmentId: string; segmentName: string | null; campaign: string })[];
  totals: (MediaFigures & {
    segmentId: string;
    segmentName: string | null;
    campaigns: number;
    suppressedCampaigns: number;
  })[];
}

export function useMediaReport(query: { from?: string; to?: string; campaign?: string }) {
  return useQuery({
    queryKey: ['dmp', 'media', query],
    queryFn: ({ signal }) =>
      api<MediaReport>(withQuery('/api/v1/dmp/reports/media', query), { signal }),
  });
}

export interface Destination {
  id: string;
  name: string;
  kind: 'batch' | 'push';
  idType: string;
  partnerId: string | null;
  url: string | null;
  labels: string[];
  minSegmentSize: number;
  enabled: boolean;
  failedAttempts: number;
  nextAttemptAt: string | null;
  secret?: string;
}

export interface Mapping {
  id: string;
  segmentId: string;
  key: string;
  status: 'active' | 'disabled' | 'retired';
  reason: string | null;
}

export interface ExportRun {
  id: string;
  mode: 'full' | 'delta';
  lines: number;
  fileAvailable: boolean;
  createdAt: string;
  segments: {
    segmentId: string;
    key: string;
    outcome: string;
    added: number;
    removed: number;
    reason?: string;
  }[];
}

export interface Delivery {
  id: number;
  key: string;
  added: number;
  removed: number;
  status: 'delivered' | 'failed';
  attempts: number;
  statusCode: number | null;
  error: string | null;
  createdAt: string;
}
