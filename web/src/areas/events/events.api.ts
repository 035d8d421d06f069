import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Query, withQuery } from '../../api/client';
import type { Page, RejectedEvent, StoredEvent } from '../../api/types';

/** The explorer's filters, exactly the query parameters of GET /api/v1/events. */
export const eventFilterNames = [
  'sourceId',
  'type',
  'event',
  'userId',
  'anonymousId',
  'messageId',
  'from',
  'to',
] as const;
export type EventFilterName = (typeof eventFilterNames)[number];
export type EventFilters = Partial<Record<EventFilterName, string>>;

export const rejectedFilterNames = ['sourceId', 'code', 'from', 'to'] as const;
export type RejectedFilters = Partial<Record<(typeof rejectedFilterNames)[number], string>>;

export function filtersFrom<N extends string>(
  names: readonly N[],
  query: URLSearchParams,
): Partial<Record<N, string>> {
  const filters: Partial<Record<N, string>> = {};
  for (const name of names) {
    const value = query.get(name);
    if (value) filters[name] = value;
  }
  return filters;
}

/** `datetime-local` inputs give local wall-clock time; the API wants an instant. */
function asInstant(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function apiQuery(filters: Record<string, string | undefined>, cursor: string | undefined): Query {
  return {
    ...filters,
    from: asInstant(filters.from),
    to: asInstant(filters.to),
    cursor,
    limit: 50,
  };
}

export function useEvents(filters: EventFilters, cursor: string | undefined) {
  return useQuery({
    queryKey: ['events', filters, cursor],
    queryFn: ({ signal }) =>
      api<Page<StoredEvent>>(withQuery('/api/v1/events', apiQuery(filters, cursor)), { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRejectedEvents(filters: RejectedFilters, cursor: string | undefined) {
  return useQuery({
    queryKey: ['rejected-events', filters, cursor],
    queryFn: ({ signal }) =>
      api<Page<RejectedEvent>>(withQuery('/api/v1/events/rejected', apiQuery(filters, cursor)), {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}
