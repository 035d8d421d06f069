import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client';
import type { Page, StoredEvent } from '../../api/types';
import '../../styles/areas.css';

export interface ProfileSummary {
  id: string;
  traits: Record<string, unknown>;
  firstSeen: string;
  lastSeen: string;
}

export interface Identifier {
  type: string;
  value: string;
  firstSeen: string;
  lastSeen: string;
}

export interface Profile extends ProfileSummary {
  traitTimes: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  identifiers: Identifier[];
  mergedFrom: string[];
  computedTraits: Record<string, unknown>;
  audiences: string[];
}

export interface MergeReason {
  rule?: string;
  event?: { seq: number; messageId: string | null };
  linking?: string[];
  survivorIdentifiers?: string[];
  absorbedIdentifiers?: string[];
  reverses?: string;
  by?: string;
}

export interface MergeEntry {
  id: string;
  kind: string;
  profileId: string;
  otherProfileId: string | null;
  seq: number | null;
  reason: MergeReason;
  createdAt: string;
  reversedBy: string | null;
}

export type TimelineEvent = Omit<StoredEvent, 'userId' | 'anonymousId'>;

const enc = encodeURIComponent;

export function useProfileSearch(query: string) {
  return useQuery({
    queryKey: ['profiles', 'search', query],
    queryFn: ({ signal }) =>
      api<Page<ProfileSummary>>(withQuery('/api/v1/profiles', { query, limit: 50 }), { signal }),
    enabled: query !== '',
  });
}

export function useProfile(key: string) {
  return useQuery({
    queryKey: ['profiles', key],
    queryFn: ({ signal }) => api<Profile>(`/api/v1/profiles/${enc(key)}`, { signal }),
  });
}

export function useTimeline(key: string, cursor: string | undefined) {
  return useQuery({
    queryKey: ['profiles', key, 'events', cursor],
    queryFn: ({ signal }) =>
      api<Page<TimelineEvent>>(
        withQuery(`/api/v1/profiles/${enc(key)}/events`, { limit: 25, cursor }),
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useMergeLog(key: string) {
  return useQuery({
    queryKey: ['profiles', key, 'merges'],
    queryFn: ({ signal }) =>
      api<{ data: MergeEntry[] }>(`/api/v1/profiles/${enc(key)}/merges`, { signal }),
  });
}

export function useUnmerge(key: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mergeId: string) =>
      api<{ unmergeId: string; reversed: string; profiles: string[] }>(
        `/api/v1/profiles/${enc(key)}/unmerge`,
        { method: 'POST', body: { mergeId } },
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['profiles'] }),
  });
}

/** A readable name for a profile: its name or e-mail traits, else its ID. */
export function displayName(profile: Pick<ProfileSummary, 'id' | 'traits'>): string {
  const t = profile.traits;
  const name = [t.first_name ?? t.firstName, t.last_name ?? t.lastName]
    .filter((part) => typeof part === 'string' && part !== '')
    .join(' ');
  if (name) return name;
  if (typeof t.name === 'string' && t.name) return t.name;
  if (typeof t.email === 'string' && t.email) return t.email;
  return profile.id;
}

export function showValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
