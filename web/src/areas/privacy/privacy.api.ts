import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client';

export const requestTypes = ['erase', 'access', 'suppress'] as const;
export type RequestType = (typeof requestTypes)[number];
export const identityTypes = [
  'email',
  'user_id',
  'anonymous_id',
  'phone',
  'device_id',
  'advertising_id',
  'dmp_id',
  'profile_id',
] as const;

export interface Receipt {
  store: string;
  status: string;
  found: number;
  affected: number;
  detail: Record<string, unknown> | null;
}

export interface PrivacyRequest {
  id: string;
  type: RequestType;
  identityType: string;
  status: 'pending' | 'running' | 'completed' | 'failed';
  attempts?: number;
  error?: string | null;
  createdAt?: string;
  completedAt?: string | null;
  receipts: Receipt[];
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  resource: string;
  requestId: string | null;
  status: number | null;
}

export interface AuditFilters {
  actor?: string;
  resource?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

const enc = encodeURIComponent;
const finished = (r: PrivacyRequest | undefined) =>
  r?.status === 'completed' || r?.status === 'failed';

export function useFileRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { type: RequestType; identity: { type: string; value: string } }) =>
      api<PrivacyRequest>('/api/v1/privacy/requests', { method: 'POST', body: input }),
    onSuccess: (request) => {
      client.setQueryData(['privacy', 'requests', request.id], request);
      void client.invalidateQueries({ queryKey: ['privacy'] });
    },
  });
}

/** A request with its receipts, followed every 2 s until it completes or fails. */
export function usePrivacyRequest(id: string) {
  return useQuery({
    queryKey: ['privacy', 'requests', id],
    queryFn: ({ signal }) => api<PrivacyRequest>(`/api/v1/privacy/requests/${enc(id)}`, { signal }),
    refetchInterval: (query) => (finished(query.state.data) ? false : 2000),
  });
}

export function useAudit(filters: AuditFilters) {
  return useQuery({
    queryKey: ['privacy', 'audit', filters],
    queryFn: ({ signal }) =>
      api<{ data: AuditEntry[]; next: string | null }>(
        withQuery('/api/v1/privacy/audit', { ...filters }),
        { signal },
      ),
  });
}

export interface ConsentDecision {
  purpose: string;
  channel: string;
  granted: boolean;
  source: string;
  recordedAt: string;
  evidence?: string;
}

export interface ConsentView {
  subjects: { type: string; value: string }[];
  current: ConsentDecision[];
  history: (ConsentDecision & { subject: { type: string; value: string } })[];
}

export function useConsents(profileKey: string) {
  return useQuery({
    queryKey: ['profiles', profileKey, 'consents'],
    queryFn: ({ signal }) =>
      api<ConsentView>(`/api/v1/profiles/${enc(profileKey)}/consents`, { signal }),
  });
}

export interface ConsentStats {
  peopleWithDecisions: number;
  profiles: number;
  current: { purpose: string; channel: string; granted: number; denied: number }[];
  daily: { day: string; granted: number; withdrawn: number }[];
  sources: { source: string; decisions: number }[];
}

export function useConsentStats(days: number) {
  return useQuery({
    queryKey: ['privacy', 'consent-stats', days],
    queryFn: ({ signal }) =>
      api<ConsentStats>(withQuery('/api/v1/privacy/consents/stats', { days }), { signal }),
  });
}

export interface RequestSummary {
  id: string;
  type: RequestType;
  identityType: string;
  status: PrivacyRequest['status'];
  createdAt: string;
  completedAt: string | null;
  receipts: { pending: number; completed: number; failed: number };
}

/** The newest requests (`GET /api/v1/privacy/requests`), refreshed while any is unfinished. */
export function usePrivacyRequests(limit = 50) {
  return useQuery({
    queryKey: ['privacy', 'requests', 'list', limit],
    queryFn: ({ signal }) =>
      api<{ data: RequestSummary[]; next: string | null }>(
        withQuery('/api/v1/privacy/requests', { limit }),
        { signal },
      ),
    refetchInterval: (query) =>
      query.state.data?.data.some((r) => r.status === 'pending' || r.status === 'running')
        ? 2000
        : false,
  });
}
