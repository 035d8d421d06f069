import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client';
import type { Page } from '../../api/types';
import '../../styles/areas.css';

export interface Destination {
  id: string;
  name: string;
  kind: 'events' | 'audiences';
  url: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  secret?: string;
}

export const deliveryStatuses = ['pending', 'sending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface Delivery {
  id: string;
  messageId: string;
  profileId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: Record<string, unknown>;
  log: {
    attempt: number;
    at: string;
    statusCode: number | null;
    latencyMs: number | null;
    error: string | null;
  }[];
}

const enc = encodeURIComponent;

export function useDestinations() {
  return useQuery({
    queryKey: ['destinations'],
    queryFn: ({ signal }) => api<{ data: Destination[] }>('/api/v1/destinations', { signal }),
  });
}

export function useDestination(id: string) {
  return useQuery({
    queryKey: ['destinations', id],
    queryFn: ({ signal }) => api<Destination>(`/api/v1/destinations/${enc(id)}`, { signal }),
  });
}

export function useDeliveries(id: string, status: string, cursor: string | undefined) {
  return useQuery({
    queryKey: ['destinations', id, 'deliveries', status, cursor],
    queryFn: ({ signal }) =>
      api<Page<Delivery>>(
        withQuery(`/api/v1/destinations/${enc(id)}/deliveries`, { status, cursor, limit: 25 }),
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useDestinationMutations() {
  const client = useQueryClient();
  return {
    create: useMutation({
      mutationFn: (body: { name: string; kind: string; url: string }) =>
        api<Destination>('/api/v1/destinations', { method: 'POST', body }),
      onSuccess: () => client.invalidateQueries({ queryKey: ['destinations'], exact: true }),
    }),
    update: useMutation({
      mutationFn: ({ id, ...body }: { id: string; enabled: boolean }) =>
        api<Destination>(`/api/v1/destinations/${enc(id)}`, { method: 'PATCH', body }),
      onSuccess: (d) => {
        client.setQueryData(['destinations', d.id], d);
        void client.invalidateQueries({ queryKey: ['destinations'], exact: true });
      },
    }),
    redrive: useMutation({
      mutationFn: ({ id, ids }: { id: string; ids?: string[] }) =>
        api<{ redriven: number }>(`/api/v1/destinations/${enc(id)}/redrive`, {
          method: 'POST',
          body: ids ? { ids } : {},
        }),
      onSuccess: (_r, { id }) =>
        client.invalidateQueries({ queryKey: ['destinations', id, 'deliveries'] }),
    }),
  };
}
