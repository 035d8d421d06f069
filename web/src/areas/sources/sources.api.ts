import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import type { Page, Source } from '../../api/types';

export const sourcesKey = ['sources'] as const;

/** Every source, following cursors: a workspace has tens of sources, not thousands. */
export async function fetchAllSources(): Promise<Source[]> {
  const all: Source[] = [];
  let cursor: string | null = null;
  do {
    const path: string = cursor
      ? `/api/v1/sources?limit=200&cursor=${encodeURIComponent(cursor)}`
      : '/api/v1/sources?limit=200';
    const page: Page<Source> = await api<Page<Source>>(path);
    all.push(...page.data);
    cursor = page.next;
  } while (cursor);
  return all;
}

export function useSources(enabled = true) {
  return useQuery({ queryKey: sourcesKey, queryFn: fetchAllSources, enabled });
}

export function useSource(id: string) {
  return useQuery({
    queryKey: [...sourcesKey, id],
    queryFn: () => api<Source>(`/api/v1/sources/${encodeURIComponent(id)}`),
  });
}

/** Create, update and rotate all refresh the list and the one source they touched. */
export function useSourceMutations() {
  const client = useQueryClient();
  const settle = (source: Source) => {
    client.setQueryData([...sourcesKey, source.id], source);
    void client.invalidateQueries({ queryKey: sourcesKey, exact: true });
  };
  return {
    create: useMutation({
      mutationFn: (name: string) =>
        api<Source>('/api/v1/sources', { method: 'POST', body: { name } }),
      onSuccess: settle,
    }),
    update: useMutation({
      mutationFn: ({ id, ...change }: { id: string; name?: string; enabled?: boolean }) =>
        api<Source>(`/api/v1/sources/${encodeURIComponent(id)}`, {
          method: 'PATCH',
          body: change,
        }),
      onSuccess: settle,
    }),
    rotate: useMutation({
      mutationFn: (id: string) =>
        api<Source>(`/api/v1/sources/${encodeURIComponent(id)}/rotate-key`, { method: 'POST' }),
      onSuccess: settle,
    }),
  };
}

export interface TrackingPlan {
  sourceId: string;
  version: number;
  mode: string;
  common?: unknown;
  track?: Record<string, unknown>;
  identify?: unknown;
  page?: unknown;
  updatedAt: string;
}

export interface ViolationReport {
  counts: {
    eventType: string;
    event: string | null;
    property: string | null;
    kind: string;
    count: number;
    firstSeen: string;
    lastSeen: string;
  }[];
  examples: {
    messageId: string;
    eventType: string;
    event: string | null;
    action: string;
    violations: { kind: string; property: string | null; message: string }[];
  }[];
}

const planPath = (id: string) => `/api/v1/sources/${encodeURIComponent(id)}/tracking-plan`;

/** The source's tracking plan, or null when it has none (the API answers 404). */
export function useTrackingPlan(id: string) {
  return useQuery({
    queryKey: [...sourcesKey, id, 'plan'],
    queryFn: async () => {
      try {
        return await api<TrackingPlan>(planPath(id));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

export function useSavePlan(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (plan: Record<string, unknown>) =>
      api<TrackingPlan>(planPath(id), { method: 'PUT', body: plan }),
    onSuccess: (plan) => client.setQueryData([...sourcesKey, id, 'plan'], plan),
  });
}

export function useViolations(id: string) {
  return useQuery({
    queryKey: [...sourcesKey, id, 'violations'],
    queryFn: () => api<ViolationReport>(`/api/v1/sources/${encodeURIComponent(id)}/violations`),
    refetchInterval: 5_000,
  });
}
