import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client';
import type { Page } from '../../api/types';
import '../../styles/areas.css';

export interface Audience {
  id: string;
  key: string;
  name: string;
  description: string;
  definition: unknown;
  text: string;
  mode: 'realtime' | 'batch';
  status: string;
  progress: { done: number; total: number };
  size: number;
  lastBatchAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Preview {
  estimate: number;
  low: number;
  high: number;
  sampled: number;
  matched: number;
  totalProfiles: number;
  exact: boolean;
  tookMs: number;
  text: string;
}

export interface ComputedTrait {
  id: string;
  key: string;
  name: string;
  definition: {
    aggregation?: string;
    event?: string;
    property?: string;
    window?: { amount: number; unit: string };
  };
  status: string;
  createdAt: string;
}

export interface Member {
  profileId: string;
  enteredAt: string;
}

const enc = encodeURIComponent;

export function useAudiences() {
  return useQuery({
    queryKey: ['audiences'],
    queryFn: ({ signal }) => api<{ data: Audience[] }>('/api/v1/audiences', { signal }),
  });
}

export function useAudience(id: string) {
  return useQuery({
    queryKey: ['audiences', id],
    queryFn: ({ signal }) => api<Audience>(`/api/v1/audiences/${enc(id)}`, { signal }),
    // A new audience backfills in the background: follow its progress until it is ready.
    refetchInterval: (query) => (query.state.data?.status === 'backfilling' ? 1000 : false),
  });
}

export function useMembers(id: string, cursor: string | undefined) {
  return useQuery({
    queryKey: ['audiences', id, 'members', cursor],
    queryFn: ({ signal }) =>
      api<Page<Member>>(withQuery(`/api/v1/audiences/${enc(id)}/members`, { limit: 25, cursor }), {
        signal,
      }),
  });
}

/** The live estimate of a definition being edited; `undefined` while it is incomplete. */
export function usePreview(definition: unknown) {
  return useQuery({
    queryKey: ['audiences', 'preview', definition],
    queryFn: ({ signal }) =>
      api<Preview>('/api/v1/audiences/preview', { method: 'POST', body: { definition }, signal }),
    enabled: definition !== undefined,
    retry: false,
    staleTime: 5_000,
  });
}

export function useCreateAudience() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { key: string; name: string; description?: string; definition: unknown }) =>
      api<Audience>('/api/v1/audiences', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['audiences'], exact: true }),
  });
}

export function useComputedTraits() {
  return useQuery({
    queryKey: ['computed-traits'],
    queryFn: ({ signal }) => api<{ data: ComputedTrait[] }>('/api/v1/computed-traits', { signal }),
  });
}

export function useCreateComputedTrait() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { key: string; name: string; definition: unknown }) =>
      api<ComputedTrait>('/api/v1/computed-traits', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['computed-traits'] }),
  });
}
