import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, conflict, type ErrorDetail, notFound } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { type CrmRecord, toRecord } from '../objects/object.js';
import { findRecord } from '../objects/object.service.js';
import { isClosedStage, type Pipeline } from '../pipelines/pipeline.js';
import { listStageHistory } from '../pipelines/pipeline.repository.js';
import { loadPipelines } from '../pipelines/pipeline.service.js';
import { loadSchema } from '../properties/schema.js';
import { type BusinessHours, validateBusinessHours, weeklyMinutes } from './business-hours.js';
import { computeSla, crossings, type SlaPolicy, spansOf, type TicketSla } from './sla.js';
import * as repo from './sla.repository.js';
import type { SlaEventRow, SlaPolicyRow } from './sla.table.js';

export interface SlaPolicyInput {
  name: string;
  pipelineId: string;
  priority?: string | null | undefined;
  firstResponseMinutes?: number | null | undefined;
  resolutionMinutes?: number | null | undefined;
  warningPercent?: number | undefined;
  businessHours: BusinessHours;
  pausedStages?: string[] | undefined;
}

function toPolicy(row: SlaPolicyRow): SlaPolicy {
  return {
    id: String(row.id),
    name: row.name,
    pipelineId: row.pipeline_id,
    priority: row.priority,
    firstResponseMinutes: row.first_response_minutes,
    resolutionMinutes: row.resolution_minutes,
    warningPercent: row.warning_percent,
    businessHours: JSON.parse(row.business_hours) as BusinessHours,
    pausedStages: JSON.parse(row.paused_stages) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parsePolicyId(raw: string): number {
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw)) throw notFound(`SLA policy ${raw}`);
  return id;
}

// A target longer than a year of business time is a typo, not a promise.
const maxTargetMinutes = 366 * 24 * 60;

/** Every reason a policy cannot work, each naming its field. */
async function check(db: Kysely<DB>, p: Required<SlaPolicyInput>): Promise<void> {
  const errors: ErrorDetail[] = [];
  const pipeline = (await loadPipelines(db, 'tickets')).find(
    (x) => x.id === p.pipelineId && !x.archived,
  );
  if (!pipeline) {
    errors.push({ field: 'pipelineId', message: `${p.pipelineId} is not a ticket pipeline` });
  }
  if (p.priority !== null) {
    const options = (await loadSchema(db, 'tickets')).defs.get('hs_ticket_priority')?.options;
    if (options && !options.some((o) => o.value === p.priority)) {
      errors.push({
        field: 'priority',
        message: `must be one of ${options.map((o) => o.value).join(', ')}`,
      });
    }
  }
  if (p.firstResponseMinutes === null && p.resolutionMinutes === null) {
    errors.push({
      field: 'firstResponseMinutes',
      message: 'a policy needs a first-response or a resolution target',
    });
  }
  for (const field of ['firstResponseMinutes', 'resolutionMinutes'] as const) {
    const v = p[field];
    if (v !== null && (!Number.isInteger(v) || v < 1 || v > maxTargetMinutes)) {
      errors.push({
        field,
        message: `must be a whole number of minutes from 1 to ${maxTargetMinutes}`,
      });
    }
  }
  if (
    p.firstResponseMinutes !== null &&
    p.resolutionMinutes !== null &&
    p.firstResponseMinutes > p.resolutionMinutes
  ) {
    errors.push({
      field: 'firstResponseMinutes',
      message: 'cannot be longer than the resolution target',
    });
  }
  if (!Number.isInteger(p.warningPercent) || p.warningPercent < 1 || p.warningPercent > 99) {
    errors.push({ field: 'warningPercent', message: 'must be a whole percentage from 1 to 99' });
  }
  const hoursErrors = validateBusinessHours(p.businessHours);
  errors.push(...hoursErrors);
  if (hoursErrors.length === 0 && weeklyMinutes(p.businessHours) === 0) {
    errors.push({ field: 'businessHours.hours', message: 'the hours add up to no time at all' });
  }
  if (pipeline) {
    p.pausedStages.forEach((stageId, i) => {
      const stage = pipeline.stages.find((s) => s.id === stageId && !s.archived);
      if (!stage) {
        errors.push({
          field: `pausedStages[${i}]`,
          message: `${stageId} is not a stage of pipeline ${p.pipelineId}`,
        });
      } else if (isClosedStage(stage)) {
        errors.push({ field: `pausedStages[${i}]`, message: `${stageId} is a closed stage` });
      }
    });
  }
  if (errors.length > 0) {
    throw new AppError('validation_failed', 'The SLA policy is not valid', errors);
  }
  if (await repo.findPolicyFor(db, p.pipelineId, p.priority)) {
    throw conflict('A policy for this pipeline and priority exists');
  }
}

function complete(input: SlaPolicyInput): Required<SlaPolicyInput> {
  return {
    name: input.name,
    pipelineId: input.pipelineId,
    priority: input.priority ?? null,
    firstResponseMinutes: input.firstResponseMinutes ?? null,
    resolutionMinutes: input.resolutionMinutes ?? null,
    warningPercent: input.warningPercent ?? 80,
    businessHours: input.businessHours,
    pausedStages: [...new Set(input.pausedStages ?? [])],
  };
}

function columns(p: Required<SlaPolicyInput>) {
  return {
    name: p.name,
    pipeline_id: p.pipelineId,
    priority: p.priority,
    first_response_minutes: p.firstResponseMinutes,
    resolution_minutes: p.resolutionMinutes,
    warning_percent: p.warningPercent,
    business_hours: JSON.stringify(p.businessHours),
    paused_stages: JSON.stringify(p.pausedStages),
  };
}

export async function listSlaPolicies(deps: Pick<Deps, 'db'>): Promise<SlaPolicy[]> {
  return (await repo.listPolicyRows(deps.db)).map(toPolicy);
}

export async function getSlaPolicy(deps: Pick<Deps, 'db'>, rawId: string): Promise<SlaPolicy> {
  const row = await repo.findPolicyRow(deps.db, parsePolicyId(rawId));
  if (!row) throw notFound(`SLA policy ${rawId}`);
  return toPolicy(row);
}

export async function createSlaPolicy(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: SlaPolicyInput,
): Promise<SlaPolicy> {
  const p = complete(input);
  const now = iso(deps.clock.now());
  const id = await deps.db.transaction().execute(async (trx) => {
    await check(trx, p);
    return repo.insertPolicy(trx, { ...columns(p), created_at: now, updated_at: now });
  });
  return getSlaPolicy(deps, String(id));
}

export async function updateSlaPolicy(
  deps: Pick<Deps, 'db' | 'clock'>,
  rawId: string,
  input: Partial<SlaPolicyInput>,
): Promise<SlaPolicy> {
  const id = parsePolicyId(rawId);
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.findPolicyRow(trx, id);
    if (!row) throw notFound(`SLA policy ${rawId}`);
    const current = toPolicy(row);
    const merged = complete({ ...current, ...input } as SlaPolicyInput);
    // The policy must not clash with itself: drop it while checking, restore on failure.
    await repo.deletePolicyRow(trx, id);
    await check(trx, merged);
    await repo.insertPolicy(trx, {
      ...columns(merged),
      id,
      created_at: row.created_at,
      updated_at: iso(deps.clock.now()),
    });
  });
  return getSlaPolicy(deps, rawId);
}

export async function deleteSlaPolicy(deps: Pick<Deps, 'db'>, rawId: string): Promise<void> {
  const id = parsePolicyId(rawId);
  if (!(await repo.findPolicyRow(deps.db, id))) throw notFound(`SLA policy ${rawId}`);
  await repo.deletePolicyRow(deps.db, id);
}

// Computing a ticket's SLA

/** The policy that applies to a ticket: its pipeline and priority, else the pipeline's catch-all. */
async function policyFor(db: Kysely<DB>, ticket: CrmRecord): Promise<SlaPolicy | undefined> {
  const pipeline = ticket.properties.hs_pipeline;
  if (pipeline === undefined) return undefined;
  const priority = ticket.properties.hs_ticket_priority;
  const row =
    (priority === undefined ? undefined : await repo.findPolicyFor(db, pipeline, priority)) ??
    (await repo.findPolicyFor(db, pipeline, null));
  return row ? toPolicy(row) : undefined;
}

/**
 * First response: the earliest outbound activity associated with the ticket: an outbound
 * call, a sent e-mail (`hs_email_direction` EMAIL) or any meeting, at its `hs_timestamp`
 * (its creation time when unset).
 */
async function firstResponseAt(db: Kysely<DB>, ticketId: number): Promise<number | undefined> {
  const rows = await repo.associatedActivityRows(db, ticketId, ['calls', 'emails', 'meetings']);
  let first: number | undefined;
  for (const row of rows) {
    const a = toRecord(row);
    const outbound =
      (a.type === 'calls' && a.properties.hs_call_direction === 'OUTBOUND') ||
      (a.type === 'emails' && a.properties.hs_email_direction === 'EMAIL') ||
      a.type === 'meetings';
    if (!outbound) continue;
    const at = Date.parse(a.properties.hs_timestamp ?? a.createdAt);
    if (Number.isFinite(at) && (first === undefined || at < first)) first = at;
  }
  return first;
}

function closedStagesOf(pipelines: Pipeline[], pipelineId: string): Set<string> {
  const pipeline = pipelines.find((p) => p.id === pipelineId);
  return new Set(pipeline?.stages.filter(isClosedStage).map((s) => s.id) ?? []);
}

/** A ticket's SLA under a policy, from its stage history and its associated activities. */
export async function slaOf(
  db: Kysely<DB>,
  ticket: Pick<CrmRecord, 'id' | 'createdAt'>,
  policy: SlaPolicy,
  pipelines: Pipeline[],
  now: number,
): Promise<TicketSla> {
  const history = (await listStageHistory(db, ticket.id))
    .filter((h) => h.property === 'hs_pipeline_stage')
    .map((h) => ({ to: h.to_value, at: h.changed_at }));
  return computeSla(policy, {
    ticketId: ticket.id,
    createdAt: Date.parse(ticket.createdAt),
    spans: spansOf(history),
    closedStages: closedStagesOf(pipelines, policy.pipelineId),
    firstResponseAt: await firstResponseAt(db, ticket.id),
    now,
  });
}

/** The SLA status of one ticket; 404 when no such ticket, null when no policy applies. */
export async function ticketSla(
  deps: Pick<Deps, 'db' | 'clock'>,
  rawId: string,
): Promise<{ ticket: CrmRecord; sla: TicketSla | null }> {
  const id = /^\d{1,16}$/.test(rawId) ? Number(rawId) : undefined;
  const ticket = id === undefined ? undefined : await findRecord(deps.db, 'tickets', id);
  if (!ticket) {
    throw new AppError('not_found', `No tickets record with id ${rawId}`, [
      { field: 'id', message: `${rawId} was not found` },
    ]);
  }
  const policy = await policyFor(deps.db, ticket);
  if (!policy) return { ticket, sla: null };
  const pipelines = await loadPipelines(deps.db, 'tickets');
  return {
    ticket,
    sla: await slaOf(deps.db, ticket, policy, pipelines, deps.clock.now().getTime()),
  };
}

/**
 * The SLA clock: walks every live ticket under a policy and records the warning and breach
 * transitions it has crossed. Recording is idempotent (one row per ticket, kind and target),
 * so a rerun or a second worker adds nothing twice.
 */
export async function runSlaClock(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  const policies = await listSlaPolicies(deps);
  if (policies.length === 0) return 0;
  const pipelines = await loadPipelines(deps.db, 'tickets');
  const now = deps.clock.now();
  let after = 0;
  let recorded = 0;
  for (;;) {
    const page = await repo.ticketPage(deps.db, after, 200);
    if (page.length === 0) break;
    after = Number(page.at(-1)?.id ?? after);
    for (const row of page) {
      const ticket = toRecord(row);
      const policy = matchPolicy(policies, ticket);
      if (!policy) continue;
      const sla = await slaOf(deps.db, ticket, policy, pipelines, now.getTime());
      const events = crossings(sla).map((c) => ({
        ticket_id: ticket.id,
        policy_id: Number(policy.id),
        kind: c.kind,
        target: c.target,
        at: c.at,
        detected_at: iso(now),
      }));
      recorded += events.length;
      await repo.insertSlaEvents(deps.db, events);
    }
  }
  return recorded;
}

/** The policy for a ticket's pipeline and priority, else the pipeline's catch-all. */
export function matchPolicy(
  policies: SlaPolicy[],
  ticket: Pick<CrmRecord, 'properties'>,
): SlaPolicy | undefined {
  const { hs_pipeline: pipeline, hs_ticket_priority: priority } = ticket.properties;
  const ofPipeline = policies.filter((p) => p.pipelineId === pipeline);
  return (
    ofPipeline.find((p) => p.priority === priority) ?? ofPipeline.find((p) => p.priority === null)
  );
}

export interface SlaEvent {
  id: number;
  ticketId: string;
  policyId: string;
  kind: 'warning' | 'breach';
  target: 'first_response' | 'resolution';
  at: string;
  detectedAt: string;
}

function toEvent(row: SlaEventRow): SlaEvent {
  return {
    id: Number(row.id),
    ticketId: String(row.ticket_id),
    policyId: String(row.policy_id),
    kind: row.kind as SlaEvent['kind'],
    target: row.target as SlaEvent['target'],
    at: row.at,
    detectedAt: row.detected_at,
  };
}

/**
 * SLA warning and breach transitions recorded after `afterId`, oldest first: a consumer
 * keeps the last id it handled and asks again from there.
 */
export async function slaEventsSince(
  db: Kysely<DB>,
  afterId: number,
  limit = 500,
): Promise<SlaEvent[]> {
  return (await repo.slaEventRowsSince(db, afterId, limit)).map(toEvent);
}
