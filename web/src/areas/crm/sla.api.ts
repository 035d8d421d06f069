import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';

export type SlaState = 'ok' | 'warning' | 'breached' | 'met';

export interface SlaTarget {
  targetMinutes: number;
  dueAt: string | null;
  warningAt: string | null;
  completedAt: string | null;
  elapsedMinutes: number;
  state: SlaState;
}

export interface TicketSla {
  ticketId: string;
  policyId: string | null;
  paused: boolean;
  firstResponse: SlaTarget | null;
  resolution: SlaTarget | null;
}

/** A ticket's SLA clocks (`GET /api/v1/crm/tickets/{id}/sla`), re-read every minute. */
export function useTicketSla(id: string, enabled = true) {
  return useQuery({
    queryKey: ['crm', 'tickets', id, 'sla'],
    enabled,
    queryFn: ({ signal }) =>
      api<TicketSla>(`/api/v1/crm/tickets/${encodeURIComponent(id)}/sla`, { signal }),
    refetchInterval: 60_000,
  });
}

/** The current time, ticking every second, so timers count down between reads. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "2 h 05 min" / "45 s": a duration for a timer. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s % 60} s`;
}

/** What a target's timer says now: time left, time over, or how it ended. */
export function timerText(target: SlaTarget, paused: boolean, now: number): string {
  if (target.state === 'met') return 'met';
  if (target.dueAt === null) return target.state;
  const left = Date.parse(target.dueAt) - now;
  if (target.state === 'breached' || left <= 0) {
    return target.completedAt
      ? 'breached (completed late)'
      : `breached ${formatDuration(left)} ago`;
  }
  return `${formatDuration(left)} left${paused ? ' (paused)' : ''}`;
}

/** The state shown, moved on to breached when the due time passes between reads. */
export function stateNow(target: SlaTarget, now: number): SlaState {
  if (target.state === 'met' || target.state === 'breached' || target.dueAt === null) {
    return target.state;
  }
  return Date.parse(target.dueAt) <= now ? 'breached' : target.state;
}
