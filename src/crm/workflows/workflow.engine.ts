import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import type { Logger } from '../../kernel/logger.js';
import { crmChangesSince } from '../changes/change.repository.js';
import { resolveObjectType } from '../objects/object-types.js';
import { slaEventsSince } from '../sla/sla.service.js';
import { nextFire, parseCron } from './cron.js';
import { executeStep, type Outcome } from './workflow.actions.js';
import { nextOf, type Step, type Workflow, type WorkflowDefinition } from './workflow.js';
import * as repo from './workflow.repository.js';
import { scheduleKey, timeId, toWorkflow } from './workflow.service.js';
import type { WorkflowRow, WorkflowRunRow } from './workflow.table.js';
import {
  type Enrollment,
  type ExternalEvent,
  matchChange,
  matchExternal,
} from './workflow.triggers.js';

export interface EngineDeps extends Pick<Deps, 'db' | 'clock'> {
  log?: Logger | undefined;
}

export interface EngineOptions {
  /** Change-feed entries read per pass. */
  batchSize?: number;
  /** Runs advanced per pass. */
  runLimit?: number;
  /** Attempts of a step before its run fails. */
  maxAttempts?: number;
  /** Wait before the first retry; doubles with each further attempt. */
  retryBaseMs?: number;
  webhookTimeoutMs?: number;
  /** How long a claimed run stays reserved for this process. */
  leaseMs?: number;
}

const feedOffsetKey = 'changes_offset';

async function insertRun(
  deps: EngineDeps,
  db: EngineDeps['db'],
  wf: Workflow,
  enrollment: Enrollment,
  dedupeKey: string,
): Promise<boolean> {
  const now = iso(deps.clock.now());
  return repo.insertRun(db, {
    id: timeId('wfr', deps.clock.now()),
    workflow_id: wf.id,
    version: wf.version,
    dedupe_key: dedupeKey,
    object_type: enrollment.record?.type ?? null,
    object_id: enrollment.record?.id ?? null,
    trigger: JSON.stringify(enrollment.event),
    status: 'running',
    next_step: wf.steps[0]?.id ?? null,
    due_at: now,
    attempts: 0,
    lease_until: null,
    error: null,
    started_at: now,
    updated_at: now,
    finished_at: null,
  });
}

/**
 * Reads the change feed from the stored offset and starts a run for every enabled workflow
 * whose trigger matches. Runs and the new offset commit together; each run's dedupe key (the
 * workflow and change id) makes a replayed batch start nothing twice.
 */
async function startFromChanges(deps: EngineDeps, workflows: Workflow[], batchSize: number) {
  const triggered = workflows.filter((w) =>
    ['record_created', 'property_changed', 'deal_stage_changed'].includes(w.trigger.type),
  );
  let started = 0;
  for (;;) {
    const count = await deps.db.transaction().execute(async (trx) => {
      const offset = Number((await repo.readState(trx, feedOffsetKey)) ?? '0');
      const fetched = await crmChangesSince(trx, offset, batchSize);
      const changes = committedPrefix(fetched, offset, deps.clock.now());
      for (const change of changes) {
        for (const wf of triggered) {
          // A workflow sees only what happened after it was created.
          if (change.at < wf.createdAt) continue;
          const enrollment = await matchChange(trx, wf.id, wf.trigger, change);
          if (
            enrollment &&
            (await insertRun(deps, trx, wf, enrollment, `${wf.id}:change:${change.id}`))
          )
            started++;
        }
      }
      const last = changes.at(-1);
      if (last) await repo.writeState(trx, feedOffsetKey, String(last.id));
      return changes.length < fetched.length ? 0 : changes.length;
    });
    if (count < batchSize) return started;
  }
}

/** How long a gap in change ids may be an uncommitted write before it counts as rolled back. */
export const gapPatienceMs = 30_000;

/**
 * The changes that are safe to consume. On PostgreSQL ids are taken when a write starts, so a
 * slower transaction can commit a lower id after a higher one was read: stopping at a fresh
 * gap keeps its change from being skipped. A gap older than `gapPatienceMs` is a rolled-back
 * write (whose id will never appear) and is passed.
 */
export function committedPrefix<T extends { id: number; at: string }>(
  changes: T[],
  offset: number,
  now: Date,
): T[] {
  let expected = offset + 1;
  for (const [i, change] of changes.entries()) {
    if (change.id !== expected && now.getTime() - Date.parse(change.at) < gapPatienceMs) {
      return changes.slice(0, i);
    }
    expected = change.id + 1;
  }
  return changes;
}

const slaOffsetKey = 'sla_offset';

/**
 * Follows the SLA clock's warning and breach transitions (from its own stored offset) and
 * starts runs of the workflows with a matching `ticket_sla` trigger.
 */
async function startFromSla(deps: EngineDeps, workflows: Workflow[], batchSize: number) {
  const triggered = workflows.filter((w) => w.trigger.type === 'ticket_sla');
  let started = 0;
  for (;;) {
    const count = await deps.db.transaction().execute(async (trx) => {
      const offset = Number((await repo.readState(trx, slaOffsetKey)) ?? '0');
      const events = await slaEventsSince(trx, offset, batchSize);
      for (const e of events) {
        const event: ExternalEvent = {
          kind: e.kind === 'warning' ? 'sla_warning' : 'sla_breach',
          ticketId: Number(e.ticketId),
        };
        for (const wf of triggered) {
          if (e.detectedAt < wf.createdAt) continue;
          const enrollment = matchExternal(wf.trigger, event);
          if (enrollment && (await insertRun(deps, trx, wf, enrollment, `${wf.id}:sla:${e.id}`)))
            started++;
        }
      }
      const last = events.at(-1);
      if (last) await repo.writeState(trx, slaOffsetKey, String(last.id));
      return events.length;
    });
    if (count < batchSize) return started;
  }
}

/**
 * Starts the due run of each scheduled workflow. After downtime only the latest missed fire
 * time starts a run: a schedule catches up once rather than replaying every missed tick.
 */
async function startScheduled(deps: EngineDeps, workflows: Workflow[]) {
  const now = deps.clock.now();
  let started = 0;
  for (const wf of workflows) {
    if (wf.trigger.type !== 'scheduled') continue;
    const parsed = parseCron(wf.trigger.cron);
    if (!parsed.ok) continue;
    const mark = (await repo.readState(deps.db, scheduleKey(wf.id))) ?? wf.updatedAt;
    let due: Date | undefined;
    for (
      let at = nextFire(parsed.cron, new Date(mark));
      at && at <= now;
      at = nextFire(parsed.cron, at)
    ) {
      due = at;
    }
    if (!due) continue;
    const fireAt = iso(due);
    await deps.db.transaction().execute(async (trx) => {
      const enrollment: Enrollment = { record: undefined, event: { kind: 'scheduled', fireAt } };
      if (await insertRun(deps, trx, wf, enrollment, `${wf.id}:cron:${fireAt}`)) started++;
      await repo.writeState(trx, scheduleKey(wf.id), fireAt);
    });
  }
  return started;
}

/**
 * Starts runs for an event from another feature (an SLA warning or breach, an audience entry
 * or exit). `eventId` identifies the event so delivering it twice starts each run once.
 */
export async function triggerWorkflows(
  deps: EngineDeps,
  event: ExternalEvent,
  eventId: string,
): Promise<number> {
  let started = 0;
  for (const row of await repo.listWorkflowRows(deps.db, { enabledOnly: true })) {
    const wf = toWorkflow(row);
    const enrollment = matchExternal(wf.trigger, event);
    if (
      enrollment &&
      (await insertRun(deps, deps.db, wf, enrollment, `${wf.id}:${event.kind}:${eventId}`))
    )
      started++;
  }
  return started;
}

interface Loaded {
  row: WorkflowRow;
  def: WorkflowDefinition;
}

/** Advances one claimed run until it ends, waits, or a step fails. Returns steps executed. */
async function advance(
  deps: EngineDeps,
  run: WorkflowRunRow,
  wf: Loaded,
  o: Required<EngineOptions>,
) {
  const steps = wf.def.steps;
  let stepId = run.next_step;
  let attempts = run.attempts;
  let executed = 0;
  const recordType = run.object_type ? resolveObjectType(run.object_type) : undefined;
  const ctx = {
    deps,
    workflow: { id: wf.row.id, version: run.version, secret: wf.row.secret },
    run: { id: run.id, trigger: JSON.parse(run.trigger) as unknown },
    record:
      recordType && run.object_id !== null ? { type: recordType, id: run.object_id } : undefined,
    webhookTimeoutMs: o.webhookTimeoutMs,
  };
  // Bounded: validation guarantees the step graph has no cycles.
  for (let guard = 0; guard <= steps.length; guard++) {
    const at = iso(deps.clock.now());
    const index = steps.findIndex((s) => s.id === stepId);
    const step: Step | undefined = steps[index];
    if (!step) {
      await repo.updateRun(deps.db, run.id, {
        status: 'completed',
        next_step: null,
        due_at: null,
        lease_until: null,
        updated_at: at,
        finished_at: at,
      });
      return executed;
    }
    const outcome: Outcome = await executeStep(ctx, step);
    executed++;
    const attempt = attempts + 1;
    const log = (status: string, output: unknown, error: string | null) =>
      repo.insertRunStep(deps.db, {
        run_id: run.id,
        step_id: step.id,
        action: step.type,
        status,
        attempt,
        output: output === undefined ? null : JSON.stringify(output),
        error,
        at,
      });
    if (outcome.kind === 'error') {
      const last = outcome.permanent || attempt >= o.maxAttempts;
      await log(last ? 'failed' : 'retrying', undefined, outcome.message);
      const retryAt = new Date(deps.clock.now().getTime() + o.retryBaseMs * 2 ** (attempt - 1));
      await repo.updateRun(deps.db, run.id, {
        status: last ? 'failed' : 'running',
        attempts: attempt,
        error: outcome.message,
        due_at: last ? null : iso(retryAt),
        lease_until: null,
        updated_at: at,
        ...(last ? { finished_at: at } : {}),
      });
      return executed;
    }
    const next =
      outcome.kind === 'ok' && outcome.branch !== undefined ? outcome.branch : nextOf(steps, index);
    attempts = 0;
    stepId = next;
    if (outcome.kind === 'wait') {
      // The run is parked in the store: a restart loses nothing, it resumes when due.
      await log('waiting', outcome.output, null);
      await repo.updateRun(deps.db, run.id, {
        status: 'waiting',
        next_step: next,
        attempts: 0,
        error: null,
        due_at: iso(outcome.until),
        lease_until: null,
        updated_at: at,
      });
      return executed;
    }
    await log('ok', outcome.output, null);
    await repo.updateRun(deps.db, run.id, {
      status: 'running',
      next_step: next,
      attempts: 0,
      error: null,
      updated_at: at,
    });
  }
  return executed;
}

async function executeDue(deps: EngineDeps, o: Required<EngineOptions>): Promise<number> {
  const now = deps.clock.now();
  const ids = await repo.dueRunIds(deps.db, iso(now), o.runLimit);
  const cache = new Map<string, Loaded | undefined>();
  let executed = 0;
  for (const id of ids) {
    const nowIso = iso(deps.clock.now());
    if (!(await repo.claimRun(deps.db, id, nowIso, iso(new Date(now.getTime() + o.leaseMs)))))
      continue;
    const run = await repo.findRun(deps.db, id);
    if (!run) continue;
    const key = `${run.workflow_id}@${run.version}`;
    if (!cache.has(key)) {
      const row = await deps.db
        .selectFrom('crm_workflows')
        .selectAll()
        .where('id', '=', run.workflow_id)
        .executeTakeFirst();
      const version = await repo.findVersion(deps.db, run.workflow_id, run.version);
      cache.set(key, row && version ? { row, def: JSON.parse(version.definition) } : undefined);
    }
    const wf = cache.get(key);
    if (!wf) {
      await repo.updateRun(deps.db, id, {
        status: 'failed',
        error: 'workflow version is missing',
        lease_until: null,
        finished_at: nowIso,
        updated_at: nowIso,
      });
      continue;
    }
    try {
      executed += await advance(deps, run, wf, o);
    } catch (error) {
      // A store failure mid-run: the lease runs out and the run is picked up again.
      deps.log?.error({ err: error, runId: id }, 'workflow run failed to advance');
    }
  }
  return executed;
}

/**
 * One pass of the workflow engine: start runs from the change feed and from schedules, then
 * execute every due step. The periodic job calls it; tests call it directly with a manual clock.
 */
export async function runWorkflowsOnce(
  deps: EngineDeps,
  opts: EngineOptions = {},
): Promise<{ started: number; steps: number }> {
  const o: Required<EngineOptions> = {
    batchSize: opts.batchSize ?? 500,
    runLimit: opts.runLimit ?? 200,
    maxAttempts: opts.maxAttempts ?? 3,
    retryBaseMs: opts.retryBaseMs ?? 60_000,
    webhookTimeoutMs: opts.webhookTimeoutMs ?? 10_000,
    leaseMs: opts.leaseMs ?? 5 * 60_000,
  };
  const workflows = (await repo.listWorkflowRows(deps.db, { enabledOnly: true })).map(toWorkflow);
  const started =
    (await startFromChanges(deps, workflows, o.batchSize)) +
    (await startFromSla(deps, workflows, o.batchSize)) +
    (await startScheduled(deps, workflows));
  const steps = await executeDue(deps, o);
  return { started, steps };
}
