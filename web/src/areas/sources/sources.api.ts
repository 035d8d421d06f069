import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
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
