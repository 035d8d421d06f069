import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client';
import type { Role } from '../../api/types';
import '../../styles/areas.css';

export type RecordType = 'contacts' | 'companies' | 'deals' | 'tickets';
export const activityTypes = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;
export type ActivityType = (typeof activityTypes)[number];

export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface Stage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  archived: boolean;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: Stage[];
  archived: boolean;
}

export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string | number;
  values?: (string | number)[];
}

export interface SearchBody {
  filterGroups?: { filters: SearchFilter[] }[];
  sorts?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string;
}

export interface SearchPage {
  total: number;
  results: CrmRecord[];
  paging?: { next: { after: string } };
}

/** Which roles may read each object type (the CRM's policy, docs/crm.md). */
const readers: Record<RecordType | 'activities', readonly Role[]> = {
  contacts: ['sales', 'support', 'marketer'],
  companies: ['sales', 'support', 'marketer'],
  deals: ['sales'],
  tickets: ['support'],
  activities: ['sales'],
};

export function canRead(role: Role, type: RecordType | 'activities'): boolean {
  return role === 'admin' || readers[type].includes(role);
}

const enc = encodeURIComponent;

export function search(type: string, body: SearchBody, signal?: AbortSignal) {
  return api<SearchPage>(`/crm/v3/objects/${type}/search`, {
    method: 'POST',
    body,
    ...(signal ? { signal } : {}),
  });
}

export function useSearch(type: RecordType, body: SearchBody) {
  return useQuery({
    queryKey: ['crm', type, 'search', body],
    queryFn: ({ signal }) => search(type, body, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePipelines(type: 'deals' | 'tickets') {
  return useQuery({
    queryKey: ['crm', 'pipelines', type],
    queryFn: ({ signal }) => api<{ results: Pipeline[] }>(`/crm/v3/pipelines/${type}`, { signal }),
    staleTime: 60_000,
  });
}

export function useRecord(type: RecordType, id: string, properties: string[]) {
  return useQuery({
    queryKey: ['crm', type, id],
    queryFn: ({ signal }) =>
      api<CrmRecord>(
        withQuery(`/crm/v3/objects/${type}/${enc(id)}`, { properties: properties.join(',') }),
        { signal },
      ),
  });
}

export function useUpdateRecord(type: RecordType) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, properties }: { id: string; properties: Record<string, string> }) =>
      api<CrmRecord>(`/crm/v3/objects/${type}/${enc(id)}`, {
        method: 'PATCH',
        body: { properties },
      }),
    onSuccess: (record) => {
      void client.invalidateQueries({ queryKey: ['crm', type] });
      client.setQueryData(['crm', type, record.id], record);
    },
  });
}

const activityProps: Record<ActivityType, string[]> = {
  calls: ['hs_timestamp', 'hs_call_title', 'hs_call_body', 'hs_call_direction'],
  emails: ['hs_timestamp', 'hs_email_subject', 'hs_email_text', 'hs_email_direction'],
  meetings: ['hs_timestamp', 'hs_meeting_title', 'hs_meeting_body'],
  notes: ['hs_timestamp', 'hs_note_body'],
  tasks: ['hs_timestamp', 'hs_task_subject', 'hs_task_body', 'hs_task_status'],
};

export interface Activity {
  type: ActivityType;
  record: CrmRecord;
  at: string;
  title: string;
  body: string;
}

function activityOf(type: ActivityType, record: CrmRecord): Activity {
  const p = record.properties;
  const title =
    p.hs_call_title ?? p.hs_email_subject ?? p.hs_meeting_title ?? p.hs_task_subject ?? '';
  const body =
    p.hs_note_body ?? p.hs_call_body ?? p.hs_email_text ?? p.hs_meeting_body ?? p.hs_task_body;
  return {
    type,
    record,
    at: p.hs_timestamp ?? record.createdAt,
    title,
    body: (body ?? '').replace(/<[^>]*>/g, ''),
  };
}

/** IDs of the records of `to` associated with a record (first 500). */
async function associatedIds(from: string, id: string, to: string, signal: AbortSignal) {
  const page = await api<{ results: { toObjectId: number }[] }>(
    `/crm/v4/objects/${from}/${enc(id)}/associations/${to}?limit=500`,
    { signal },
  );
  return page.results.map((r) => String(r.toObjectId));
}

async function readBatch(type: string, ids: string[], properties: string[], signal: AbortSignal) {
  if (ids.length === 0) return [];
  const answer = await api<{ results: CrmRecord[] }>(`/crm/v3/objects/${type}/batch/read`, {
    method: 'POST',
    body: { inputs: ids.slice(0, 100).map((id) => ({ id })), properties },
    signal,
  });
  return answer.results;
}

/** Every activity associated with a record, newest first: the record's timeline. */
export function useActivities(type: RecordType, id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['crm', type, id, 'activities'],
    enabled,
    queryFn: async ({ signal }) => {
      const lists = await Promise.all(
        activityTypes.map(async (activity) => {
          const ids = await associatedIds(type, id, activity, signal);
          const records = await readBatch(activity, ids, activityProps[activity], signal);
          return records.map((record) => activityOf(activity, record));
        }),
      );
      return lists.flat().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    },
  });
}

/** Associated records of another type, with a few properties for a link. */
export function useAssociated(
  type: RecordType,
  id: string,
  to: RecordType,
  properties: string[],
  enabled: boolean,
) {
  return useQuery({
    queryKey: ['crm', type, id, 'associated', to],
    enabled,
    queryFn: async ({ signal }) => {
      const ids = await associatedIds(type, id, to, signal);
      return readBatch(to, ids, properties, signal);
    },
  });
}

export interface DuplicateSuggestion {
  id: string;
  profileA: string;
  profileB: string;
  probability: number;
  fields: { field: string; level: string; weight: number }[];
  status: string;
  createdAt: string;
}

export function useDuplicates(status: string) {
  return useQuery({
    queryKey: ['duplicates', status],
    queryFn: ({ signal }) =>
      api<{ data: DuplicateSuggestion[] }>(withQuery('/api/v1/identity/duplicates', { status }), {
        signal,
      }),
  });
}

export function useDuplicateMutations() {
  const client = useQueryClient();
  const settle = () => client.invalidateQueries({ queryKey: ['duplicates'] });
  return {
    merge: useMutation({
      mutationFn: (id: string) =>
        api<{ linkMessageId: string }>(`/api/v1/identity/duplicates/${enc(id)}/merge`, {
          method: 'POST',
        }),
      onSuccess: settle,
    }),
    dismiss: useMutation({
      mutationFn: (id: string) =>
        api<undefined>(`/api/v1/identity/duplicates/${enc(id)}/dismiss`, { method: 'POST' }),
      onSuccess: settle,
    }),
    scan: useMutation({
      mutationFn: () =>
        api<{ profiles: number; linked: number; suggested: number }>(
          '/api/v1/identity/duplicates/scan',
          { method: 'POST' },
        ),
      onSuccess: settle,
    }),
  };
}

const money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
export const formatAmount = (n: number) => money.format(n);
export const amountOf = (record: CrmRecord) => {
  const n = Number(record.properties.amount ?? '');
  return Number.isFinite(n) ? n : 0;
};
