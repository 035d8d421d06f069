import { useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client';

export interface Volume {
  interval: 'hour' | 'day' | 'week';
  from: string;
  to: string;
  buckets: string[];
  totals: number[];
  total: number;
  series: { name: string; sourceId: string | null; total: number; counts: number[] }[];
}

export interface Funnel {
  steps: { event: string; count: number; conversion: number; fromPrevious: number }[];
}

export interface Retention {
  cohorts: { cohort: string; size: number; retained: number[]; rates: number[] }[];
}

export interface Prediction {
  id: string;
  kind: string;
  windowDays: number;
  traitKey: string;
  status: string;
  lastError: string | null;
  metrics: {
    auc: number | null;
    baselineAuc: number | null;
    holdoutExamples: number;
    positives: number;
    negatives: number;
  } | null;
  trainedAt: string | null;
}

export function useVolume(interval: Volume['interval'], event: string) {
  return useQuery({
    queryKey: ['insights', 'volume', interval, event],
    queryFn: ({ signal }) =>
      api<Volume>(withQuery('/api/v1/insights/volume', { interval, event }), { signal }),
  });
}

export function useFunnel(steps: string[], windowHours: number) {
  const complete = steps.filter((s) => s.trim() !== '');
  return useQuery({
    queryKey: ['insights', 'funnel', complete, windowHours],
    enabled: complete.length >= 2,
    queryFn: ({ signal }) =>
      api<Funnel>('/api/v1/insights/funnel', {
        method: 'POST',
        body: { steps: complete.map((event) => ({ event })), windowHours },
        signal,
      }),
  });
}

export function useRetention(weeks: number) {
  return useQuery({
    queryKey: ['insights', 'retention', weeks],
    queryFn: ({ signal }) =>
      api<Retention>(withQuery('/api/v1/insights/retention', { weeks }), { signal }),
  });
}

export function usePredictions() {
  return useQuery({
    queryKey: ['predictions'],
    queryFn: ({ signal }) => api<{ data: Prediction[] }>('/api/v1/predictions', { signal }),
  });
}
