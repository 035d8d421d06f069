import { createHash } from 'node:crypto';
import {
  allowEntries,
  allowListOf,
  backoffMs,
  retryable,
  sendSigned,
} from '../../cdp/destinations/index.js';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { conflict } from '../../kernel/errors.js';
import { requireDestination } from './destination.service.js';
import * as repo from './export.repository.js';
import type { DmpDestinationRow } from './export.tables.js';
import {
  additionsPage,
  addToState,
  type ExportTarget,
  heldPage,
  removalsPage,
  removeFromState,
} from './members.js';
import { type MappingPlan, outcomeOf, planMapping, type SegmentOutcome } from './plan.js';

type PushDeps = Pick<Deps, 'db' | 'clock'> & { log?: Deps['log'] | undefined };

export interface PushOptions {
  /** The configured minimum segment size, when the caller knows it (the API process does). */
  minSegmentSize?: number;
  /** Additions plus removals per request, at most this many of each. */
  batchSize?: number;
  requestTimeoutMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a push may hold its destination before another worker may take it over. */
  leaseMs?: number;
  random?: () => number;
}

export interface PushResult {
  destinationId: string;
  /** `busy`: another worker holds the destination; `failed`: a request failed, retried later. */
  status: 'delivered' | 'failed' | 'busy';
  requests: number;
  segments: SegmentOutcome[];
}

/**
 * Pushes one destination: for each mapping, the delta against what the destination holds, in
 * signed JSON requests `{segment, add, remove}`. The state moves only after a 2xx, batch by
 * batch (at-least-once: a request whose answer was lost is sent again, with the same
 * `Idempotency-Key`). A failure stops the destination until its backoff has passed.
 */
export async function pushDestination(
  deps: PushDeps,
  destinationId: string,
  opts: PushOptions = {},
): Promise<PushResult> {
  const o = {
    batchSize: opts.batchSize ?? 1_000,
    requestTimeoutMs: opts.requestTimeoutMs ?? 10_000,
    baseBackoffMs: opts.baseBackoffMs ?? 30_000,
    maxBackoffMs: opts.maxBackoffMs ?? 3_600_000,
    leaseMs: opts.leaseMs ?? 300_000,
    random: opts.random ?? Math.random,
  };
  const destination = await requireDestination(deps.db, destinationId);
  if (destination.kind !== 'push')
    throw conflict(
      `destination ${destinationId} is a batch destination; it is exported, not pushed`,
    );
  if (destination.enabled !== 1) throw conflict(`destination ${destinationId} is disabled`);
  const started = deps.clock.now();
  const until = iso(new Date(started.getTime() + o.leaseMs));
  const result: PushResult = { destinationId, status: 'delivered', requests: 0, segments: [] };
  if (!(await repo.leaseDestination(deps.db, destinationId, iso(started), until)))
    return { ...result, status: 'busy' };
  try {
    const allow = allowListOf(await allowEntries(deps.db));
    const minSize = Math.max(destination.min_segment_size, opts.minSegmentSize ?? 0);
    for (const mapping of await repo.mappingsOf(deps.db, destinationId)) {
      const plan = await planMapping(deps.db, destination, mapping, minSize, deps.clock.now());
      if (plan.action === 'suppressed' || plan.action === 'idle') {
        result.segments.push(outcomeOf(plan, { added: 0, removed: 0 }, plan.action));
        if (plan.action === 'idle' && plan.mapping.status === 'retired')
          await repo.deleteMapping(deps.db, mapping.id);
        continue;
      }
      const sent = await pushMapping(deps, destination, plan, { ...o, allow });
      result.requests += sent.requests;
      result.segments.push(sent.outcome);
      if (sent.outcome.outcome === 'failed') {
        result.status = 'failed';
        const attempts = destination.attempts + 1;
        // A refusal the receiver will repeat (a 4xx other than 408/429) waits the longest.
        const wait = retryable(sent.status ?? null)
          ? backoffMs(attempts, o.baseBackoffMs, o.maxBackoffMs, o.random)
          : o.maxBackoffMs;
        await repo.updateDestination(deps.db, destinationId, {
          attempts,
          next_attempt_at: iso(new Date(deps.clock.now().getTime() + wait)),
        });
        return result;
      }
      if (plan.mapping.status === 'retired') await repo.deleteMapping(deps.db, mapping.id);
    }
    await repo.updateDestination(deps.db, destinationId, { attempts: 0, next_attempt_at: null });
    return result;
  } finally {
    await repo.updateDestination(deps.db, destinationId, { lease_until: null });
  }
}

async function pushMapping(
  deps: PushDeps,
  destination: DmpDestinationRow,
  plan: Extract<MappingPlan, { target: ExportTarget }>,
  o: Required<Omit<PushOptions, 'minSegmentSize'>> & { allow: ReturnType<typeof allowListOf> },
): Promise<{ requests: number; outcome: SegmentOutcome; status?: number | null }> {
  const { target, mapping } = plan;
  const totals = { added: 0, removed: 0 };
  let requests = 0;
  // The failures so far were of the batch sent first now (the same delta, computed again).
  let failedBefore = destination.attempts;
  for (;;) {
    const add = plan.action === 'deliver' ? await additionsPage(deps.db, target, o.batchSize) : [];
    const remove =
      plan.action === 'deliver'
        ? await removalsPage(deps.db, target, o.batchSize)
        : await heldPage(deps.db, target, o.batchSize);
    if (add.length === 0 && remove.length === 0) break;
    const body = JSON.stringify({ segment: mapping.segment_key, add, remove });
    // The same batch sent again (after a lost answer) carries the same key.
    const idempotencyKey = createHash('sha256')
      .update(`${destination.id}\n${body}`)
      .digest('hex')
      .slice(0, 32);
    const sent = await sendSigned(destination.url ?? '', body, {
      secret: destination.secret ?? '',
      idempotencyKey,
      allow: o.allow,
      timeoutMs: o.requestTimeoutMs,
      now: deps.clock.now(),
    });
    requests++;
    const ok = sent.status !== null && sent.status >= 200 && sent.status < 300;
    await repo.insertDelivery(deps.db, {
      destination_id: destination.id,
      segment_id: mapping.segment_id,
      segment_key: mapping.segment_key,
      added: add.length,
      removed: remove.length,
      status: ok ? 'delivered' : 'failed',
      attempts: failedBefore + 1,
      status_code: sent.status,
      error: sent.error ?? (ok ? null : `HTTP ${sent.status}`),
      created_at: iso(deps.clock.now()),
    });
    if (!ok) {
      deps.log?.warn(
        { destination: destination.id, status: sent.status, error: sent.error },
        'dmp push failed',
      );
      return { requests, outcome: outcomeOf(plan, totals, 'failed'), status: sent.status };
    }
    await deps.db.transaction().execute(async (trx) => {
      await addToState(trx, target, add);
      await removeFromState(trx, target, remove);
    });
    failedBefore = 0;
    totals.added += add.length;
    totals.removed += remove.length;
  }
  return {
    requests,
    outcome: outcomeOf(plan, totals, plan.action === 'retract' ? 'retracted' : 'exported'),
  };
}

/** Every enabled push destination whose backoff has passed, one after the other. */
export async function pushDue(deps: PushDeps, opts: PushOptions = {}): Promise<PushResult[]> {
  const out: PushResult[] = [];
  for (const id of await repo.duePushDestinations(deps.db, iso(deps.clock.now()))) {
    try {
      out.push(await pushDestination(deps, id, opts));
    } catch (error) {
      // A destination deleted or disabled meanwhile must not stop the others.
      deps.log?.warn({ err: error, destination: id }, 'dmp push skipped');
    }
  }
  return out;
}
