import { iso } from '../../kernel/clock.js';
import { AppError, conflict, notFound } from '../../kernel/errors.js';
import { type Page, toPage } from '../../kernel/pagination.js';
import { seededRandom } from '../../kernel/random.js';
import type { DmpDeps } from '../collect/collect.service.js';
import { assertNoPiiText } from '../collect/firewall.js';
import { newRecordId } from '../ids/dmp-id.js';
import { compileSegment } from '../qualify/catalog.js';
import { requalifyMany } from '../qualify/qualify.service.js';
import { referencedTraits } from '../segments/expression.js';
import { allSegments } from '../segments/segment.repository.js';
import * as traits from '../traits/trait.repository.js';
import * as repo from './lookalike.repository.js';
import type { DmpLookalikeRow } from './lookalike.tables.js';
import { type Lookalike, type StoredModel, toLookalike } from './lookalike.view.js';
import { fitAndEvaluate, type ModelKind, topRows } from './model.js';
import { LOOKALIKE_PREFIX, loadPopulation } from './population.js';
import { type Seed, seedMembers } from './seed.js';

export type { Lookalike } from './lookalike.view.js';

export const defaultReachLevels = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5] as const;
const DEFAULT_HOLDOUT = 0.25;

export interface LookalikeInput {
  name: string;
  description?: string | undefined;
  seed: Seed;
  model?: ModelKind | undefined;
  holdout?: number | undefined;
  reachLevels?: number[] | undefined;
  ttlDays?: number | undefined;
}

/** How big the activated audience is: a reach, an ID count, or the widest reach of a precision. */
export type ActivationInput = { reach: number } | { count: number } | { precision: number };

/** A stable 32-bit number from the lookalike ID: the same model splits the same way each time. */
function rngSeedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface Settings {
  id: string;
  seed: Seed;
  model: ModelKind;
  holdout: number;
  reachLevels: number[];
}

/** Reads the seed and the population now, trains and evaluates: the columns training sets. */
async function train(deps: DmpDeps, s: Settings) {
  const k = deps.dmp.config.minSegmentSize;
  const now = deps.clock.now();
  const seed = await seedMembers(deps.db, s.seed, k);
  const pop = await loadPopulation(deps.db, iso(now), new Set(seed.excludedTraits));
  const rowOf = new Map(pop.ids.map((id, r) => [id, r]));
  const seedRows = new Set<number>();
  for (const id of seed.ids) {
    const r = rowOf.get(id);
    if (r !== undefined) seedRows.add(r);
  }
  // The usable seed's size is not told: below k, a count could single people out.
  if (seedRows.size < k) {
    throw new AppError(
      'insufficient_data',
      `The seed has fewer than ${k} members that are activatable, not suppressed and hold live traits`,
      [{ field: 'seed', message: `at least ${k} usable members needed` }],
    );
  }
  if (pop.ids.length - seedRows.size < k) {
    throw new AppError(
      'insufficient_data',
      `Fewer than ${k} IDs outside the seed hold live traits: there is nothing to score`,
    );
  }
  const fit = fitAndEvaluate(pop, seedRows, {
    kind: s.model,
    holdout: s.holdout,
    reachLevels: s.reachLevels,
    rngSeed: rngSeedOf(s.id),
    random: seededRandom,
  });
  const model: StoredModel = {
    bias: fit.bias,
    traits: fit.stats.slice().sort((a, b) => b.weight - a.weight),
  };
  const curve = fit.curve.map((p) => ({
    ...p,
    audienceSize: Math.ceil(p.reach * fit.nonSeedSize),
    baselinePrecision: fit.baselinePrecision,
  }));
  return {
    seed_size: fit.seedSize,
    population_size: fit.nonSeedSize,
    weights: JSON.stringify(model),
    curve: JSON.stringify(curve),
    excluded_traits: JSON.stringify(seed.excludedTraits),
    trained_at: iso(now),
    updated_at: iso(now),
  };
}

function settingsOf(row: DmpLookalikeRow): Settings {
  return {
    id: row.id,
    seed: row.seed_kind === 'list' ? { list: row.seed_ref } : { segmentId: row.seed_ref },
    model: row.model as ModelKind,
    holdout: row.holdout,
    reachLevels: JSON.parse(row.reach_levels) as number[],
  };
}

async function view(deps: DmpDeps, row: DmpLookalikeRow): Promise<Lookalike> {
  return toLookalike(row, deps.dmp.config.minSegmentSize, (ids) => repo.traitNames(deps.db, ids));
}

/** Creates a lookalike and trains it on the seed as it is now (synchronously). */
export async function createLookalike(deps: DmpDeps, input: LookalikeInput): Promise<Lookalike> {
  assertNoPiiText(input.name, 'name');
  assertNoPiiText(input.description ?? '', 'description');
  const now = deps.clock.now();
  // Lookalike IDs sort by creation time like traits do; only the prefix differs.
  const id = `${LOOKALIKE_PREFIX}${newRecordId('trt', now.getTime()).slice(4)}`;
  const settings: Settings = {
    id,
    seed: input.seed,
    model: input.model ?? 'traitWeight',
    holdout: input.holdout ?? DEFAULT_HOLDOUT,
    reachLevels: [...new Set(input.reachLevels ?? defaultReachLevels)].sort((a, b) => a - b),
  };
  const trained = await train(deps, settings);
  const row: DmpLookalikeRow = {
    id,
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    seed_kind: 'list' in input.seed ? 'list' : 'segment',
    seed_ref: 'list' in input.seed ? input.seed.list : input.seed.segmentId,
    model: settings.model,
    status: 'trained',
    holdout: settings.holdout,
    reach_levels: JSON.stringify(settings.reachLevels),
    ttl_days: input.ttlDays ?? deps.dmp.config.traitTtlDays,
    active_reach: null,
    active_count: null,
    activated_at: null,
    created_at: iso(now),
    ...trained,
  };
  await repo.insertLookalike(deps.db, row);
  return view(deps, row);
}

async function mustFind(deps: Pick<DmpDeps, 'db'>, id: string): Promise<DmpLookalikeRow> {
  const row = await repo.findLookalike(deps.db, id);
  if (!row) throw notFound(`lookalike ${id}`);
  return row;
}

export async function getLookalike(deps: DmpDeps, id: string): Promise<Lookalike> {
  return view(deps, await mustFind(deps, id));
}

export async function listLookalikes(
  deps: DmpDeps,
  opts: { after?: string; limit: number },
): Promise<Page<Lookalike>> {
  const rows = await repo.listLookalikes(deps.db, opts);
  const page = toPage(
    rows,
    opts.limit,
    (row) => row,
    (row) => ({ id: row.id }),
  );
  return { data: await Promise.all(page.data.map((row) => view(deps, row))), next: page.next };
}

/** The audience size an activation asks for, given the non-seed population now. */
function audienceSize(row: DmpLookalikeRow, input: ActivationInput, nonSeeds: number): number {
  if ('count' in input) return input.count;
  if ('reach' in input) return Math.ceil(input.reach * nonSeeds);
  const curve = JSON.parse(row.curve) as { reach: number; precision: number }[];
  const reaches = curve.filter((p) => p.precision >= input.precision).map((p) => p.reach);
  if (reaches.length === 0) {
    throw new AppError(
      'insufficient_data',
      `No reach level of the curve has a precision of ${input.precision} or more`,
      [{ field: 'precision', message: 'lower the precision or retrain on a larger seed' }],
    );
  }
  return Math.ceil(Math.max(...reaches) * nonSeeds);
}

/**
 * Activation, the accuracy-versus-reach control: scores the non-seed population as it is now
 * with the trained weights and makes the best `n` IDs (and only them) realize the lookalike's
 * trait, so segments can use it (`lal_... AND trt_...`) and real-time activation serves it.
 * Seed members, suppressed and non-activatable IDs never receive it.
 */
export async function activateLookalike(
  deps: DmpDeps,
  id: string,
  input: ActivationInput,
): Promise<Lookalike> {
  const row = await mustFind(deps, id);
  const k = deps.dmp.config.minSegmentSize;
  const now = deps.clock.now();
  const seed = await seedMembers(deps.db, settingsOf(row).seed, k);
  const excluded = new Set(JSON.parse(row.excluded_traits) as string[]);
  const pop = await loadPopulation(deps.db, iso(now), excluded);
  const seedIds = new Set(seed.ids);
  const nonSeeds: number[] = [];
  pop.ids.forEach((dmpId, r) => {
    if (!seedIds.has(dmpId)) nonSeeds.push(r);
  });
  const wanted = Math.min(audienceSize(row, input, nonSeeds.length), nonSeeds.length);
  if (wanted < k) {
    throw new AppError(
      'insufficient_data',
      `The audience would have fewer than ${k} IDs (the minimum segment size)`,
      [{ field: 'reach', message: `choose a reach of at least ${k} IDs` }],
    );
  }
  const model = JSON.parse(row.weights) as StoredModel;
  const weightOf = new Map(model.traits.map((t) => [t.traitId, t.weight]));
  const weights = Float64Array.from(pop.traitIds, (t) => weightOf.get(t) ?? 0);
  const audience = topRows(pop, nonSeeds, model.bias, weights, wanted).map(
    (r) => pop.ids[r] as string,
  );
  await realize(deps, row, audience, now);
  const changes = {
    status: 'active',
    active_reach: nonSeeds.length === 0 ? 0 : audience.length / nonSeeds.length,
    active_count: audience.length,
    activated_at: iso(now),
    updated_at: iso(now),
  };
  await repo.updateLookalike(deps.db, id, changes);
  return view(deps, { ...row, ...changes });
}

/** Replaces the trait's realizations by `audience`, then requalifies segments that use it. */
async function realize(deps: DmpDeps, row: DmpLookalikeRow, audience: string[], now: Date) {
  const at = iso(now);
  if (!(await traits.findTrait(deps.db, row.id))) {
    await traits.insertTrait(deps.db, {
      id: row.id,
      name: `Lookalike: ${row.name}`,
      description: row.description,
      kind: 'onboarded',
      rule: null,
      ttl_days: row.ttl_days,
      created_at: at,
      updated_at: at,
    });
  }
  deps.dmp.catalog.invalidate();
  const before = await repo.traitHolders(deps.db, row.id);
  const keep = new Set(audience);
  const gone = before.filter((dmpId) => !keep.has(dmpId));
  const ttlMs = row.ttl_days * 86_400_000;
  await deps.db.transaction().execute(async (trx) => {
    await repo.dropRealizations(trx, row.id, gone);
    await repo.putRealizations(trx, row.id, audience, {
      hits: JSON.stringify([now.getTime()]),
      last_at: at,
      expires_at: iso(new Date(now.getTime() + ttlMs)),
    });
  });
  // Memberships only change where a segment's rule names the trait; without one, nothing to do.
  const catalog = await deps.dmp.catalog.get();
  const used = catalog.segments.some((s) => referencedTraits(s.expr).has(row.id));
  if (used) {
    await requalifyMany(
      deps.db,
      catalog,
      deps.dmp.hotStore,
      [...new Set([...before, ...audience])],
      now,
    );
  }
}

/**
 * Retrains on the seed as it is now; an active lookalike is then activated again at the same
 * reach, replacing its audience.
 */
export async function refreshLookalike(deps: DmpDeps, id: string): Promise<Lookalike> {
  const row = await mustFind(deps, id);
  const trained = await train(deps, settingsOf(row));
  await repo.updateLookalike(deps.db, id, trained);
  const updated = { ...row, ...trained };
  if (row.status === 'active' && row.active_reach !== null) {
    return activateLookalike(deps, id, { reach: row.active_reach });
  }
  return view(deps, updated);
}

/** Deletes the lookalike and its trait, unless a segment still uses the trait (409). */
export async function deleteLookalike(deps: DmpDeps, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.findLookalike(trx, id))) throw notFound(`lookalike ${id}`);
    // Read in the transaction, not from the cache: a segment made elsewhere a moment ago counts.
    const users = (await allSegments(trx)).filter((s) =>
      referencedTraits(compileSegment(s).expr).has(id),
    );
    if (users.length > 0) {
      throw conflict(`lookalike ${id} is used by segment(s) ${users.map((s) => s.id).join(', ')}`);
    }
    await traits.deleteTrait(trx, id);
    await repo.deleteLookalikeRow(trx, id);
  });
  deps.dmp.catalog.invalidate();
}
