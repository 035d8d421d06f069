import { allowEntries, allowListOf, retryable, sendSigned } from '../../cdp/destinations/index.js';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import { type ConsentPurpose, consentAllows, consentsFor } from '../../privacy/index.js';
import type { Actor, CrmRecord } from '../objects/object.js';
import { createRecord, findRecord, updateRecord } from '../objects/object.service.js';
import type { ObjectType } from '../objects/object-types.js';
import { getTeam } from '../owners/owner.service.js';
import type { Condition, Step } from './workflow.js';
import { readState, writeState } from './workflow.repository.js';

/** What a step did: carry on (a branch names where), wait, or fail (retried unless permanent). */
export type Outcome =
  | { kind: 'ok'; output: unknown; branch?: string | null }
  | { kind: 'wait'; until: Date; output: unknown }
  | { kind: 'error'; message: string; permanent: boolean };

export interface StepContext {
  deps: Pick<Deps, 'db' | 'clock'>;
  workflow: { id: string; version: number; secret: string };
  run: { id: string; trigger: unknown };
  record: { type: ObjectType; id: number } | undefined;
  webhookTimeoutMs: number;
}

/** Workflow writes carry the workflow as actor, which also keeps a workflow from re-triggering itself. */
export const workflowActor = (workflowId: string): Actor => ({
  id: `workflow:${workflowId}`,
  role: 'admin',
});

async function currentRecord(ctx: StepContext): Promise<CrmRecord> {
  if (!ctx.record)
    throw new AppError('bad_request', 'this step needs a record and the run has none');
  const record = await findRecord(ctx.deps.db, ctx.record.type, ctx.record.id);
  if (!record)
    throw new AppError('not_found', `${ctx.record.type} ${ctx.record.id} no longer exists`);
  return record;
}

function compare(condition: Condition, actual: string | undefined): boolean {
  const want = condition.value ?? '';
  const numeric =
    actual !== undefined &&
    want !== '' &&
    !Number.isNaN(Number(actual)) &&
    !Number.isNaN(Number(want));
  const order =
    actual === undefined ? 0 : numeric ? Number(actual) - Number(want) : actual.localeCompare(want);
  switch (condition.operator) {
    case 'is_known':
      return actual !== undefined && actual !== '';
    case 'is_unknown':
      return actual === undefined || actual === '';
    case 'eq':
      return (
        actual !== undefined &&
        (numeric ? order === 0 : actual.toLowerCase() === want.toLowerCase())
      );
    case 'neq':
      return (
        actual === undefined ||
        (numeric ? order !== 0 : actual.toLowerCase() !== want.toLowerCase())
      );
    case 'contains':
      return actual?.toLowerCase().includes(want.toLowerCase()) ?? false;
    case 'gt':
      return actual !== undefined && order > 0;
    case 'gte':
      return actual !== undefined && order >= 0;
    case 'lt':
      return actual !== undefined && order < 0;
    case 'lte':
      return actual !== undefined && order <= 0;
  }
}

/** Whether a record's current values meet the conditions (`all` by default). */
export function conditionsHold(
  properties: Record<string, string>,
  conditions: Condition[],
  match: 'all' | 'any' = 'all',
): boolean {
  const results = conditions.map((c) => compare(c, properties[c.property]));
  return match === 'all' ? results.every(Boolean) : results.some(Boolean);
}

/**
 * The next owner of a round robin. The pointer lives in the store, so the rotation continues
 * across restarts and across the runs of every worker process.
 */
async function nextOwner(ctx: StepContext, stepId: string, userIds: string[]): Promise<string> {
  const key = `rr:${ctx.workflow.id}:${stepId}`;
  const pointer = Number((await readState(ctx.deps.db, key)) ?? '0');
  const owner = userIds[pointer % userIds.length] as string;
  await writeState(ctx.deps.db, key, String((pointer + 1) % userIds.length));
  return owner;
}

/** A team's members in a stable order, read at each assignment so membership changes apply. */
async function teamMembers(ctx: StepContext, teamId: string): Promise<string[]> {
  const team = await getTeam(ctx.deps, teamId);
  return team.members.map((m) => m.userId).sort();
}

function recordLink(ctx: StepContext) {
  return ctx.record ? [{ to: { id: String(ctx.record.id) }, types: [] }] : [];
}

async function perform(ctx: StepContext, step: Step): Promise<Outcome> {
  const actor = workflowActor(ctx.workflow.id);
  const now = ctx.deps.clock.now();
  switch (step.type) {
    case 'create_task': {
      const record = ctx.record ? await currentRecord(ctx) : undefined;
      const due = iso(new Date(now.getTime() + (step.dueInMinutes ?? 0) * 60_000));
      const properties: Record<string, string> = {
        hs_task_subject: step.subject,
        hs_task_status: 'NOT_STARTED',
        hs_timestamp: due,
        hs_task_due_date: due,
      };
      if (step.body !== undefined) properties.hs_task_body = step.body;
      if (step.priority !== undefined) properties.hs_task_priority = step.priority;
      const owner = record?.properties.hubspot_owner_id;
      if (owner) properties.hubspot_owner_id = owner;
      const task = await createRecord(
        ctx.deps,
        'tasks',
        { properties, associations: recordLink(ctx) },
        actor,
      );
      return { kind: 'ok', output: { taskId: String(task.id) } };
    }
    case 'update_property': {
      const record = await currentRecord(ctx);
      await updateRecord(
        ctx.deps,
        record.type,
        String(record.id),
        { properties: { [step.property]: step.value } },
        actor,
      );
      return { kind: 'ok', output: { property: step.property, value: step.value } };
    }
    case 'assign_owner': {
      const record = await currentRecord(ctx);
      const pool =
        step.teamId !== undefined ? await teamMembers(ctx, step.teamId) : (step.userIds ?? []);
      if (pool.length === 0) {
        return { kind: 'error', message: `team ${step.teamId} has no members`, permanent: true };
      }
      const owner = await nextOwner(ctx, step.id, pool);
      await updateRecord(
        ctx.deps,
        record.type,
        String(record.id),
        { properties: { hubspot_owner_id: owner } },
        actor,
      );
      return { kind: 'ok', output: { ownerId: owner } };
    }
    case 'create_record': {
      const associations = step.associate === false ? [] : recordLink(ctx);
      // Like a task, a record created for someone's record is theirs unless the step says
      // otherwise: a deal opened for a contact goes to the contact's owner.
      const properties = { ...step.properties };
      if (properties.hubspot_owner_id === undefined && ctx.record) {
        const owner = (await currentRecord(ctx)).properties.hubspot_owner_id;
        if (owner) properties.hubspot_owner_id = owner;
      }
      const created = await createRecord(
        ctx.deps,
        step.objectType,
        { properties, associations },
        actor,
      );
      return { kind: 'ok', output: { objectType: step.objectType, id: String(created.id) } };
    }
    case 'send_webhook':
      return sendWebhook(ctx, step.id, step.url, step.consentPurpose ?? 'marketing');
    case 'delay':
      return {
        kind: 'wait',
        until: new Date(now.getTime() + step.minutes * 60_000),
        output: { minutes: step.minutes },
      };
    case 'if_else': {
      const record = await currentRecord(ctx);
      const holds = conditionsHold(record.properties, step.conditions, step.match);
      return {
        kind: 'ok',
        output: { branch: holds ? 'ifTrue' : 'ifFalse' },
        branch: (holds ? step.ifTrue : step.ifFalse) ?? null,
      };
    }
  }
}

/**
 * POSTs the run's context through the destinations' egress: the same SSRF guard (resolved
 * addresses checked at connect time, the admin allow-list honoured), signature and idempotency
 * key (stable per run and step, so a receiver can drop a retried duplicate).
 */
/**
 * A webhook about a contact hands personal data to a third party: an activation, which needs
 * the person's consent for the step's purpose (opt-in, as for CDP destinations). Without it the
 * step sends nothing and the run goes on.
 */
async function consentRefusal(
  ctx: StepContext,
  record: CrmRecord,
  purpose: ConsentPurpose,
): Promise<string | undefined> {
  if (record.type !== 'contacts') return undefined;
  const email = record.properties.email?.trim().toLowerCase();
  const decisions = email ? await consentsFor(ctx.deps.db, [{ type: 'email', value: email }]) : [];
  return consentAllows(decisions, purpose) ? undefined : `no consent for ${purpose}`;
}

async function sendWebhook(
  ctx: StepContext,
  stepId: string,
  url: string,
  purpose: ConsentPurpose,
): Promise<Outcome> {
  const record = ctx.record
    ? await findRecord(ctx.deps.db, ctx.record.type, ctx.record.id)
    : undefined;
  const refused = record ? await consentRefusal(ctx, record, purpose) : undefined;
  if (refused) return { kind: 'ok', output: { sent: false, reason: refused } };
  const body = JSON.stringify({
    workflowId: ctx.workflow.id,
    version: ctx.workflow.version,
    runId: ctx.run.id,
    stepId,
    trigger: ctx.run.trigger,
    record: record
      ? { objectType: record.type, id: String(record.id), properties: record.properties }
      : null,
  });
  const result = await sendSigned(url, body, {
    secret: ctx.workflow.secret,
    idempotencyKey: `${ctx.run.id}:${stepId}`,
    allow: allowListOf(await allowEntries(ctx.deps.db)),
    timeoutMs: ctx.webhookTimeoutMs,
    now: ctx.deps.clock.now(),
  });
  if (result.status !== null && result.status >= 200 && result.status < 300) {
    return { kind: 'ok', output: { status: result.status } };
  }
  const message = result.error ?? `webhook answered ${result.status}`;
  // A refused address is refused again and a 4xx will not change: retrying only delays the failure.
  const permanent = message.startsWith('egress refused') || !retryable(result.status);
  return { kind: 'error', message, permanent };
}

/** Runs one step; an exception becomes a failed outcome (permanent for invalid input). */
export async function executeStep(ctx: StepContext, step: Step): Promise<Outcome> {
  try {
    return await perform(ctx, step);
  } catch (error) {
    if (error instanceof AppError) {
      const detail = error.details.map((d) => `${d.field ?? ''}: ${d.message}`).join('; ');
      const permanent = ['bad_request', 'validation_failed', 'not_found', 'conflict'].includes(
        error.code,
      );
      return {
        kind: 'error',
        message: detail ? `${error.message} (${detail})` : error.message,
        permanent,
      };
    }
    return {
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
      permanent: false,
    };
  }
}
