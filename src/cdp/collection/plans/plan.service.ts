import type { Kysely } from 'kysely';
import type { Deps } from '../../../kernel/deps.js';
import { AppError, notFound } from '../../../kernel/errors.js';
import type { DB } from '../../../storage/schema.js';
import { getSource } from '../../sources/source.service.js';
import type { TrackingPlanRow } from '../ingest.tables.js';
import type { CompiledPlan, EventViolations, PlanViolation } from '../pipeline/index.js';
import { compilePlan } from './plan.compile.js';
import { type PlanDocument, planBody, type TrackingPlan, toTrackingPlan } from './plan.js';
import * as repo from './plan.repository.js';

type PlanDeps = Pick<Deps, 'db' | 'clock'>;

// Other processes (scale-out collectors) notice a changed plan within this time; the process
// that changed it uses the new plan at once.
const refreshMs = 2_000;
// Examples are for a person looking at the debugger, not an archive.
const examplesKept = 200;
const pruneEvery = 64;

interface CacheEntry {
  version: number | null;
  compiled: CompiledPlan | undefined;
  checkedAt: number;
}

/**
 * Compiled plans per database (one map per store, so test apps never share plans), keyed by
 * source. A WeakMap keeps the cache's lifetime tied to the store without a global registry.
 */
const caches = new WeakMap<Kysely<DB>, Map<string, CacheEntry>>();
const exampleWrites = new WeakMap<Kysely<DB>, Map<string, number>>();

function cacheOf(db: Kysely<DB>): Map<string, CacheEntry> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

/**
 * The compiled plan of a source, or undefined when it has none. On the hot path: a cached
 * answer costs a map lookup; every `refreshMs` one indexed read checks the version, and only a
 * new version is compiled again.
 */
export async function planForSource(
  deps: Pick<Deps, 'db'>,
  sourceId: string,
): Promise<CompiledPlan | undefined> {
  const cache = cacheOf(deps.db);
  const entry = cache.get(sourceId);
  const now = performance.now();
  if (entry && now - entry.checkedAt < refreshMs) return entry.compiled;
  const current = await repo.findPlanVersion(deps.db, sourceId);
  if (entry && (current?.version ?? null) === entry.version) {
    entry.checkedAt = now;
    return entry.compiled;
  }
  const row = current ? await repo.findPlan(deps.db, sourceId) : undefined;
  const compiled = row ? compileStored(row) : undefined;
  cache.set(sourceId, { version: row?.version ?? null, compiled, checkedAt: now });
  return compiled;
}

/**
 * A stored plan was valid when it was written; should it no longer compile (a validator
 * upgrade), events are accepted unchecked rather than refused with a 500 on every request.
 */
function compileStored(row: TrackingPlanRow): CompiledPlan | undefined {
  try {
    return compilePlan(toTrackingPlan(row), row.version);
  } catch {
    return undefined;
  }
}

export async function getTrackingPlan(
  deps: Pick<Deps, 'db'>,
  sourceId: string,
): Promise<TrackingPlan> {
  await getSource(deps, sourceId);
  const row = await repo.findPlan(deps.db, sourceId);
  if (!row) throw notFound(`the tracking plan of source ${sourceId}`);
  return toTrackingPlan(row);
}

/** Creates or replaces a source's plan. Schemas that do not compile are refused (400). */
export async function putTrackingPlan(
  deps: PlanDeps,
  sourceId: string,
  doc: PlanDocument,
): Promise<TrackingPlan> {
  await getSource(deps, sourceId);
  for (const name of Object.keys(doc.track ?? {})) {
    if (name === '' || name.length > 200) {
      throw new AppError('validation_failed', 'Event names must be 1 to 200 characters', [
        { field: 'track', message: `invalid event name "${name.slice(0, 40)}"` },
      ]);
    }
  }
  compilePlan(doc, 0);
  const now = deps.clock.now().toISOString();
  await repo.upsertPlan(deps.db, {
    source_id: sourceId,
    mode: doc.mode,
    plan: planBody(doc),
    created_at: now,
    updated_at: now,
  });
  const row = await repo.findPlan(deps.db, sourceId);
  if (!row) throw notFound(`the tracking plan of source ${sourceId}`);
  cacheOf(deps.db).set(sourceId, {
    version: row.version,
    compiled: compilePlan(toTrackingPlan(row), row.version),
    checkedAt: performance.now(),
  });
  return toTrackingPlan(row);
}

/** Removes the plan (events are accepted unchecked from then on) and its violation history. */
export async function deleteTrackingPlan(deps: Pick<Deps, 'db'>, sourceId: string) {
  await getSource(deps, sourceId);
  const deleted = await repo.deletePlan(deps.db, sourceId);
  if (Number(deleted.numDeletedRows) === 0) {
    throw notFound(`the tracking plan of source ${sourceId}`);
  }
  await repo.deleteViolations(deps.db, sourceId);
  cacheOf(deps.db).set(sourceId, {
    version: null,
    compiled: undefined,
    checkedAt: performance.now(),
  });
}

/**
 * Adds a request's findings to the per-source counters and keeps them as recent examples.
 * Counters are aggregated first: one upsert and one insert per request, whatever its size.
 */
export async function recordViolations(
  db: Kysely<DB>,
  sourceId: string,
  found: EventViolations[],
  receivedAt: string,
): Promise<void> {
  if (found.length === 0) return;
  const counts = new Map<string, { type: string; event: string; v: PlanViolation; n: number }>();
  for (const item of found) {
    for (const v of item.violations) {
      const key = `${item.type}\u0000${item.event ?? ''}\u0000${v.property ?? ''}\u0000${v.kind}`;
      const existing = counts.get(key);
      if (existing) existing.n++;
      else counts.set(key, { type: item.type, event: item.event ?? '', v, n: 1 });
    }
  }
  await repo.addViolationCounts(
    db,
    [...counts.values()].map(({ type, event, v, n }) => ({
      source_id: sourceId,
      event_type: type,
      event_name: event,
      property: v.property ?? '',
      kind: v.kind,
      count: n,
      first_seen: receivedAt,
      last_seen: receivedAt,
    })),
  );
  // A large batch of bad events is represented by its first few, not all of them.
  const examples = found.slice(0, 20);
  await repo.insertViolationExamples(
    db,
    examples.map((item) => ({
      source_id: sourceId,
      message_id: item.messageId,
      event_type: item.type,
      event_name: item.event,
      action: item.action,
      violations: JSON.stringify(item.violations),
      received_at: receivedAt,
    })),
  );
  let writes = exampleWrites.get(db);
  if (!writes) {
    writes = new Map();
    exampleWrites.set(db, writes);
  }
  const n = (writes.get(sourceId) ?? 0) + 1;
  writes.set(sourceId, n);
  if (n % pruneEvery === 0) await repo.pruneViolationExamples(db, sourceId, examplesKept);
}

export interface ViolationReport {
  counts: {
    eventType: string;
    event: string | null;
    property: string | null;
    kind: string;
    count: number;
    firstSeen: string;
    lastSeen: string;
  }[];
  examples: {
    messageId: string;
    eventType: string;
    event: string | null;
    action: string;
    violations: PlanViolation[];
    receivedAt: string;
  }[];
}

export async function listViolations(
  deps: Pick<Deps, 'db'>,
  sourceId: string,
  filter: repo.ViolationFilter,
  limits: { counts: number; examples: number },
): Promise<ViolationReport> {
  await getSource(deps, sourceId);
  const [counts, examples] = await Promise.all([
    repo.listViolationCounts(deps.db, sourceId, filter, limits.counts),
    repo.listViolationExamples(deps.db, sourceId, filter, limits.examples),
  ]);
  return {
    counts: counts.map((r) => ({
      eventType: r.event_type,
      event: r.event_name === '' ? null : r.event_name,
      property: r.property === '' ? null : r.property,
      kind: r.kind,
      count: Number(r.count),
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
    })),
    examples: examples.map((r) => ({
      messageId: r.message_id,
      eventType: r.event_type,
      event: r.event_name,
      action: r.action,
      violations: JSON.parse(r.violations) as PlanViolation[],
      receivedAt: r.received_at,
    })),
  };
}
