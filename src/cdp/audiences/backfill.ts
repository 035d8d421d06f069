import { enabledDestinations } from '../destinations/destination.repository.js';
import { enqueueActivations } from './activation.js';
import type { TraitSpec } from './aggregates.js';
import * as repo from './audience.repository.js';
import { updateProfiles } from './engine.js';
import { type AudienceInfo, loadModel } from './model.js';
import type { AudienceDeps } from './streaming.js';

const pageSize = 200;

/**
 * Walks every live profile in pages, each page in its own transaction under the audience lock.
 * A page either rebuilds some traits from history up to the streaming consumer's position
 * (events after it are the consumer's to fold), or only re-evaluates audiences.
 */
async function walkProfiles(
  deps: AudienceDeps,
  step: {
    rebuildTraits?: (model: Awaited<ReturnType<typeof loadModel>>) => TraitSpec[];
    evaluate: (a: AudienceInfo) => boolean;
    reason: string;
    onPage?: (done: number) => Promise<void>;
  },
): Promise<number> {
  let after = '';
  let done = 0;
  let changes = 0;
  for (;;) {
    const page = await repo.profilePage(deps.db, after, pageSize);
    if (page.length === 0) break;
    const now = deps.clock.now();
    changes += await deps.db.transaction().execute(async (trx) => {
      const position = await repo.lockAudienceState(trx, deps.clock);
      const model = await loadModel(trx);
      const rebuildTraits = step.rebuildTraits?.(model);
      const result = await updateProfiles(trx, model, {
        now,
        events: rebuildTraits ? new Map() : new Map(page.map((id) => [id, []])),
        rebuild: rebuildTraits ? new Set(page) : new Set(),
        ...(rebuildTraits ? { rebuildTraits } : {}),
        uptoSeq: position,
        evaluate: step.evaluate,
        reason: step.reason,
      });
      await enqueueActivations(trx, {
        destinations: await enabledDestinations(trx),
        facts: result.facts,
        events: [],
        changes: result.changes,
        now,
      });
      return result.changes.length;
    });
    done += page.length;
    after = page.at(-1) ?? after;
    await step.onPage?.(done);
  }
  return changes;
}

/**
 * Backfills a new (or redefined) audience: first its event conditions' counters are rebuilt
 * from history while streaming keeps folding new events into them, then the audience turns
 * `ready` (streaming evaluates it from then on) and one evaluation pass over every profile
 * establishes memberships. Progress is written to the audience row after every page.
 */
export async function backfillAudience(deps: AudienceDeps, audienceId: string): Promise<void> {
  const total = await repo.countProfiles(deps.db);
  const model = await loadModel(deps.db);
  const audience = model.audiences.find((a) => a.id === audienceId);
  if (!audience) return;
  const hidden = audience.hidden.length > 0;
  const steps = hidden ? 2 : 1;
  const progress = async (done: number) => {
    await deps.db
      .updateTable('audience_definitions')
      .set({
        progress_done: done,
        progress_total: total * steps,
        updated_at: deps.clock.now().toISOString(),
      })
      .where('id', '=', audienceId)
      .execute();
  };
  await progress(0);
  if (hidden) {
    await walkProfiles(deps, {
      rebuildTraits: (m) => m.audiences.find((a) => a.id === audienceId)?.hidden ?? [],
      evaluate: () => false,
      reason: 'backfill',
      onPage: progress,
    });
  }
  await deps.db
    .updateTable('audience_definitions')
    .set({ status: 'ready' })
    .where('id', '=', audienceId)
    .execute();
  const offset = hidden ? total : 0;
  await walkProfiles(deps, {
    evaluate: (a) => a.id === audienceId,
    reason: 'backfill',
    onPage: (done) => progress(offset + done),
  });
  await deps.db
    .updateTable('audience_definitions')
    .set({
      progress_done: total * steps,
      progress_total: total * steps,
      last_batch_at: deps.clock.now().toISOString(),
    })
    .where('id', '=', audienceId)
    .execute();
}

/** Folds history into a new computed trait for every profile, then marks it ready. */
export async function backfillTrait(deps: AudienceDeps, traitId: string): Promise<void> {
  await walkProfiles(deps, {
    rebuildTraits: (m) => {
      const spec = m.traits.get(traitId);
      return spec ? [spec] : [];
    },
    evaluate: () => false,
    reason: 'backfill',
  });
  await deps.db
    .updateTable('audience_traits')
    .set({ status: 'ready', updated_at: deps.clock.now().toISOString() })
    .where('id', '=', traitId)
    .execute();
}

/** Evaluates one audience over every profile (batch mode, or on demand); returns changes. */
export async function runAudienceBatch(deps: AudienceDeps, audienceId: string): Promise<number> {
  const changes = await walkProfiles(deps, {
    evaluate: (a) => a.id === audienceId,
    reason: 'batch',
  });
  await deps.db
    .updateTable('audience_definitions')
    .set({ last_batch_at: deps.clock.now().toISOString() })
    .where('id', '=', audienceId)
    .execute();
  return changes;
}

/**
 * Full batch recompute: every trait state rebuilt from history, every ready audience
 * re-evaluated. Streaming and this recompute must agree (a property test checks it); it also
 * repairs state after an identity unmerge, which rewrites which events belong to whom.
 */
export async function recomputeAll(deps: AudienceDeps): Promise<number> {
  return walkProfiles(deps, {
    rebuildTraits: (m) => [...m.traits.values()],
    evaluate: (a) => a.status === 'ready',
    reason: 'recompute',
  });
}

/**
 * Recomputes one audience page by page: its event counters rebuilt from history up to the
 * streaming position, then the audience evaluated on every profile (the general path behind
 * `recomputeAudience`, which takes a set-based shortcut when the condition allows).
 */
export async function rebuildAudience(deps: AudienceDeps, audienceId: string): Promise<number> {
  const model = await loadModel(deps.db);
  const hidden = model.audiences.find((a) => a.id === audienceId)?.hidden ?? [];
  // Without event conditions there is nothing to rebuild, only to evaluate.
  return walkProfiles(deps, {
    ...(hidden.length > 0
      ? { rebuildTraits: (m) => m.audiences.find((a) => a.id === audienceId)?.hidden ?? [] }
      : {}),
    evaluate: (a) => a.id === audienceId,
    reason: 'recompute',
  });
}
