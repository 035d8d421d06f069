import { useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client';

export type ReportName = 'pipeline-value' | 'forecast' | 'win-rate' | 'sales-cycle';
export type Grouping = 'owner' | 'team' | 'pipeline' | 'stage' | 'month';

export interface ReportRow {
  key: string | null;
  label: string | null;
  [metric: string]: unknown;
}

export interface Report {
  groupBy: Grouping;
  rows: ReportRow[];
  totals: Record<string, unknown>;
}

export interface ReportFilters {
  groupBy?: Grouping;
  from?: string;
  to?: string;
}

/**
 * One sales report (`GET /api/v1/crm/reports/{name}`). Keyed under the deals, so a deal written
 * in the console (a move on the board) makes it stale; read afresh whenever the page opens.
 */
export function useReport(name: ReportName, filters: ReportFilters = {}) {
  return useQuery({
    queryKey: ['crm', 'deals', 'reports', name, filters],
    refetchOnMount: 'always',
    queryFn: ({ signal }) =>
      api<Report>(withQuery(`/api/v1/crm/reports/${name}`, { ...filters }), { signal }),
  });
}

/** A report row's metric as a number, or null when the report has none (e.g. no closed deal). */
export const metric = (row: Record<string, unknown> | undefined, name: string): number | null => {
  const v = row?.[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

const empty: Record<Grouping, string> = {
  owner: 'No owner',
  team: 'No team',
  pipeline: 'No pipeline',
  stage: 'No stage',
  month: 'No date',
};

export const rowName = (groupBy: Grouping, row: ReportRow) =>
  row.label ?? row.key ?? empty[groupBy];
