import {
  addBusinessMs,
  type BusinessHours,
  businessMsBetween,
  type Interval,
} from './business-hours.js';

export interface SlaPolicy {
  id: string;
  name: string;
  pipelineId: string;
  /** Null: every priority of the pipeline without a policy of its own. */
  priority: string | null;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warningPercent: number;
  businessHours: BusinessHours;
  pausedStages: string[];
  createdAt: string;
  updatedAt: string;
}

export type SlaTarget = 'first_response' | 'resolution';
export type SlaState = 'ok' | 'warning' | 'breached' | 'met';

export interface TargetStatus {
  targetMinutes: number;
  /** When the target falls due (undefined when the hours never reach it). */
  dueAt: string | null;
  warningAt: string | null;
  /** When the target was achieved (first reply sent, ticket closed), if it was. */
  completedAt: string | null;
  elapsedMinutes: number;
  state: SlaState;
}

export interface TicketSla {
  ticketId: string;
  policyId: string;
  paused: boolean;
  firstResponse: TargetStatus | null;
  resolution: TargetStatus | null;
}

/** A stretch of time a ticket spent in one stage (`to` null: it is still there). */
export interface StageSpan {
  stage: string;
  from: number;
  to: number | null;
}

export interface SlaFacts {
  ticketId: number;
  createdAt: number;
  spans: StageSpan[];
  closedStages: Set<string>;
  firstResponseAt: number | undefined;
  now: number;
}

/** When the ticket was resolved: it entered the closed stage it is still in. */
export function resolvedAt(facts: Pick<SlaFacts, 'spans' | 'closedStages'>): number | undefined {
  const last = facts.spans.at(-1);
  return last && last.to === null && facts.closedStages.has(last.stage) ? last.from : undefined;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function target(
  policy: SlaPolicy,
  minutes: number,
  start: number,
  completed: number | undefined,
  paused: Interval[],
  now: number,
): TargetStatus {
  const bh = policy.businessHours;
  const targetMs = minutes * 60_000;
  const due = addBusinessMs(bh, start, targetMs, paused);
  const warning = addBusinessMs(bh, start, (targetMs * policy.warningPercent) / 100, paused);
  const end = Math.min(completed ?? now, now);
  const elapsed = businessMsBetween(bh, start, end, paused);
  let state: SlaState;
  if (completed !== undefined) state = elapsed <= targetMs ? 'met' : 'breached';
  else if (elapsed >= targetMs) state = 'breached';
  else if (elapsed >= (targetMs * policy.warningPercent) / 100) state = 'warning';
  else state = 'ok';
  return {
    targetMinutes: minutes,
    dueAt: iso(due),
    warningAt: iso(warning),
    completedAt: iso(completed),
    elapsedMinutes: Math.floor(elapsed / 60_000),
    state,
  };
}

/**
 * A ticket's SLA under a policy. The clocks start when the ticket is created and count
 * business time only; time spent in a paused stage (e.g. waiting on the customer) counts for
 * neither target. An open pause is taken to end now, so a due date shown while paused is the
 * earliest it can be.
 */
export function computeSla(policy: SlaPolicy, facts: SlaFacts): TicketSla {
  const resolved = resolvedAt(facts);
  const paused: Interval[] = facts.spans
    .filter((s) => policy.pausedStages.includes(s.stage))
    .map((s) => [s.from, s.to ?? facts.now]);
  const last = facts.spans.at(-1);
  const pausedNow =
    resolved === undefined &&
    last !== undefined &&
    last.to === null &&
    policy.pausedStages.includes(last.stage);
  // A ticket closed without a logged reply counts as answered when it was closed.
  const answered =
    facts.firstResponseAt === undefined
      ? resolved
      : Math.max(facts.createdAt, Math.min(facts.firstResponseAt, resolved ?? Infinity));
  return {
    ticketId: String(facts.ticketId),
    policyId: policy.id,
    paused: pausedNow,
    firstResponse:
      policy.firstResponseMinutes === null
        ? null
        : target(policy, policy.firstResponseMinutes, facts.createdAt, answered, paused, facts.now),
    resolution:
      policy.resolutionMinutes === null
        ? null
        : target(policy, policy.resolutionMinutes, facts.createdAt, resolved, paused, facts.now),
  };
}

/** Stage spans from the ordered stage history of one ticket. */
export function spansOf(history: { to: string | null; at: string }[]): StageSpan[] {
  const spans: StageSpan[] = [];
  for (const h of history) {
    const at = Date.parse(h.at);
    const open = spans.at(-1);
    if (open) open.to = at;
    if (h.to !== null) spans.push({ stage: h.to, from: at, to: null });
  }
  return spans;
}

/** Warning and breach transitions a status implies, with the instant each happened. */
export function crossings(
  sla: TicketSla,
): { kind: 'warning' | 'breach'; target: SlaTarget; at: string }[] {
  const out: { kind: 'warning' | 'breach'; target: SlaTarget; at: string }[] = [];
  const pairs: [SlaTarget, TargetStatus | null][] = [
    ['first_response', sla.firstResponse],
    ['resolution', sla.resolution],
  ];
  for (const [name, status] of pairs) {
    if (!status) continue;
    const reachedWarning =
      status.state === 'warning' ||
      status.state === 'breached' ||
      (status.state === 'met' &&
        status.warningAt !== null &&
        status.completedAt !== null &&
        status.warningAt <= status.completedAt);
    if (reachedWarning && status.warningAt !== null) {
      out.push({ kind: 'warning', target: name, at: status.warningAt });
    }
    if (status.state === 'breached' && status.dueAt !== null) {
      out.push({ kind: 'breach', target: name, at: status.dueAt });
    }
  }
  return out;
}
