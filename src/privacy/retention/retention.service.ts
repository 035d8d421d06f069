import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import { iso } from '../../kernel/clock.js';
import { AppError } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';

export const retentionContexts = ['cdp', 'dmp', 'crm'] as const;
export type RetentionContext = (typeof retentionContexts)[number];

export interface RetentionRun {
  at: string;
  removed: number;
  cutoff: string | null;
  error: string | null;
}

export interface RetentionPolicy {
  context: RetentionContext;
  /** What is deleted. */
  applies: string;
  /** Days kept; null: kept until erased. */
  days: number | null;
  /** What the age is measured from. */
  basis: 'received_at' | 'last_seen' | 'until_erased';
  /** Whether `PUT` may change it (the DMP's comes from configuration). */
  editable: boolean;
  /** The setting that governs it, when it is not set through this API. */
  setBy: string | null;
  lastRun: RetentionRun | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

const DAY_MS = 86_400_000;
const batchSize = 500;
/** Bounds one run; the next run continues where this one stopped. */
const maxBatchesPerRun = 200;

/** Every context's policy. `dmpIdTtlDays` is the DMP's own setting, shown as is. */
export async function listRetention(
  db: Kysely<DB>,
  dmpIdTtlDays: number | undefined,
): Promise<RetentionPolicy[]> {
  const cdp = await db
    .selectFrom('privacy_retention')
    .selectAll()
    .where('context', '=', 'cdp')
    .executeTakeFirst();
  return [
    {
      context: 'cdp',
      applies: 'raw events and rejected events',
      days: cdp?.days ?? null,
      basis: 'received_at',
      editable: true,
      setBy: null,
      lastRun: cdp?.last_run_at
        ? {
            at: cdp.last_run_at,
            removed: Number(cdp.last_removed ?? 0),
            cutoff: cdp.last_cutoff,
            error: cdp.last_error,
          }
        : null,
      updatedAt: cdp?.updated_at ?? null,
      updatedBy: cdp?.updated_by ?? null,
    },
    {
      context: 'dmp',
      applies: 'DMP IDs with their aliases, partner matches, traits and segments',
      days: dmpIdTtlDays ?? null,
      basis: 'last_seen',
      editable: false,
      setBy: 'TRIAD_DMP_ID_TTL_DAYS (enforced by the DMP retention job)',
      lastRun: null,
      updatedAt: null,
      updatedBy: null,
    },
    {
      context: 'crm',
      applies: 'CRM records',
      days: null,
      basis: 'until_erased',
      editable: false,
      setBy: null,
      lastRun: null,
      updatedAt: null,
      updatedBy: null,
    },
  ];
}

/** Sets the CDP raw-event retention (null turns it off). */
export async function setRetention(
  deps: { db: Kysely<DB>; clock: Clock },
  context: string,
  days: number | null,
  actor: string,
): Promise<void> {
  if (context !== 'cdp') {
    throw new AppError(
      'bad_request',
      context === 'dmp'
        ? 'DMP retention is set by TRIAD_DMP_ID_TTL_DAYS'
        : context === 'crm'
          ? 'CRM records are kept until erased'
          : `Unknown retention context "${context}"`,
      [{ field: 'context', message: 'only cdp is set through the API' }],
    );
  }
  const now = iso(deps.clock.now());
  await deps.db
    .insertInto('privacy_retention')
    .values({ context, days, updated_at: now, updated_by: actor })
    .onConflict((oc) =>
      oc.column('context').doUpdateSet({ days, updated_at: now, updated_by: actor }),
    )
    .execute();
}

/**
 * Enforces the CDP policy: deletes raw and rejected events received before the cutoff, in
 * bounded batches. Raw events no log consumer has read yet are left alone, so retention never
 * takes an event from under the identity graph or the audiences. Records the run.
 */
export async function enforceRetention(deps: {
  db: Kysely<DB>;
  clock: Clock;
}): Promise<RetentionRun> {
  const now = deps.clock.now();
  const policy = await deps.db
    .selectFrom('privacy_retention')
    .select('days')
    .where('context', '=', 'cdp')
    .executeTakeFirst();
  const days = policy?.days ?? null;
  const run: RetentionRun = { at: iso(now), removed: 0, cutoff: null, error: null };
  try {
    if (days !== null) {
      const cutoff = iso(new Date(now.getTime() - days * DAY_MS));
      run.cutoff = cutoff;
      const offsets = await deps.db
        .selectFrom('log_offsets')
        .select((eb) => eb.fn.min<number>('position').as('low'))
        .executeTakeFirst();
      const consumed =
        offsets?.low === null || offsets?.low === undefined ? undefined : Number(offsets.low);
      for (let i = 0; i < maxBatchesPerRun; i++) {
        let query = deps.db
          .selectFrom('events')
          .select('seq')
          .where('received_at', '<', cutoff)
          .orderBy('seq')
          .limit(batchSize);
        if (consumed !== undefined) query = query.where('seq', '<=', consumed);
        const seqs = (await query.execute()).map((r) => Number(r.seq));
        if (seqs.length === 0) break;
        const deleted = await deps.db
          .deleteFrom('events')
          .where('seq', 'in', seqs)
          .executeTakeFirst();
        run.removed += Number(deleted.numDeletedRows);
      }
      for (let i = 0; i < maxBatchesPerRun; i++) {
        const seqs = (
          await deps.db
            .selectFrom('rejected_events')
            .select('seq')
            .where('received_at', '<', cutoff)
            .orderBy('seq')
            .limit(batchSize)
            .execute()
        ).map((r) => Number(r.seq));
        if (seqs.length === 0) break;
        const deleted = await deps.db
          .deleteFrom('rejected_events')
          .where('seq', 'in', seqs)
          .executeTakeFirst();
        run.removed += Number(deleted.numDeletedRows);
      }
    }
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  }
  await deps.db
    .insertInto('privacy_retention')
    .values({
      context: 'cdp',
      days,
      updated_at: run.at,
      updated_by: null,
      last_run_at: run.at,
      last_removed: run.removed,
      last_cutoff: run.cutoff,
      last_error: run.error,
    })
    .onConflict((oc) =>
      oc.column('context').doUpdateSet({
        last_run_at: run.at,
        last_removed: run.removed,
        last_cutoff: run.cutoff,
        last_error: run.error,
      }),
    )
    .execute();
  return run;
}
