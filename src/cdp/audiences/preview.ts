import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import {
  applyEvent,
  emptyState,
  isEmpty,
  prune,
  type TraitState,
  traitValue,
} from './aggregates.js';
import * as repo from './audience.repository.js';
import type { Condition } from './definition.js';
import { toEngineEvent } from './engine.js';
import { evaluate, type ProfileFacts } from './evaluate.js';
import { buildModel } from './model.js';
import type { AudienceDeps } from './streaming.js';

export interface PreviewResult {
  /** Estimated audience size over all live profiles. */
  estimate: number;
  /** 95% interval of the estimate (Wilson score on the sample). */
  low: number;
  high: number;
  sampled: number;
  matched: number;
  totalProfiles: number;
  /** True when every profile was evaluated (no sampling). */
  exact: boolean;
  tookMs: number;
}

const crockford = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Estimates an audience's size without creating it. Profiles are sampled by the last two
 * characters of their ID (random, so the sample is uniform and independent of creation time);
 * only the events the definition's conditions name are read for the sample, folded into fresh
 * counters, and evaluated beside stored traits, computed traits and memberships. With the
 * default sample of ~1,000 profiles the cost does not grow with the number of profiles.
 * Account conditions are evaluated as unmet in previews.
 */
export async function previewAudience(
  deps: AudienceDeps,
  condition: Condition,
  opts: { sampleSize?: number } = {},
): Promise<PreviewResult> {
  const started = performance.now();
  const sampleSize = opts.sampleSize ?? 1000;
  const [traitRows, audienceRows] = await Promise.all([
    deps.db
      .selectFrom('audience_traits')
      .select(['id', 'key', 'name', 'status', 'definition'])
      .execute(),
    deps.db
      .selectFrom('audience_definitions')
      .select(['id', 'key', 'name', 'mode', 'status', 'definition'])
      .execute(),
  ]);
  const previewRow = {
    id: 'preview',
    key: '\u0000preview',
    name: 'preview',
    mode: 'realtime',
    status: 'ready',
    definition: JSON.stringify(condition),
  };
  const model = buildModel(traitRows, [...audienceRows, previewRow]);
  const audience = model.audiences.find((a) => a.id === 'preview');
  if (!audience) throw new Error('preview audience missing from its own model');

  const total = await repo.countProfiles(deps.db);
  const buckets = 1024;
  const k = total === 0 ? buckets : Math.ceil((sampleSize / total) * buckets);
  let query = deps.db.selectFrom('identity_profiles').select('id').where('merged_into', 'is', null);
  if (k < buckets) {
    const suffixes = new Set<string>();
    while (suffixes.size < k)
      suffixes.add(`${crockford[randomInt(32)]}${crockford[randomInt(32)]}`);
    query = query.where((eb) =>
      eb.or([...suffixes].map((s) => eb('id', 'like', sql.lit(`%${s}`)))),
    );
  }
  const sample = (await query.execute()).map((r) => r.id);

  const names = new Set<string>();
  let anyEvent = false;
  for (const h of audience.hidden) {
    if (h.kind === 'funnel') {
      names.add(h.first.event);
      names.add(h.second.event);
    } else if (h.event) names.add(h.event);
    else anyEvent = true;
  }
  const now = deps.clock.now().getTime();
  const values = new Map<string, Map<string, unknown>>();
  for (const part of repo.chunks(sample, 500)) {
    for (const row of await repo.statesOf(deps.db, part)) {
      const vals = values.get(row.profile_id) ?? new Map<string, unknown>();
      vals.set(row.trait_id, JSON.parse(row.value) as unknown);
      values.set(row.profile_id, vals);
    }
    if (audience.hidden.length === 0) continue;
    const rows = await repo.historyOf(
      deps.db,
      part,
      Number.MAX_SAFE_INTEGER,
      anyEvent ? undefined : [...names],
    );
    const states = new Map<string, Map<string, TraitState>>();
    for (const row of rows) {
      const e = toEngineEvent(row);
      const byTrait = states.get(row.profile_id) ?? new Map<string, TraitState>();
      states.set(row.profile_id, byTrait);
      for (const spec of audience.hidden) {
        const state = byTrait.get(spec.id) ?? emptyState(spec);
        byTrait.set(spec.id, state);
        applyEvent(spec, state, e, now);
      }
    }
    for (const [profileId, byTrait] of states) {
      const vals = values.get(profileId) ?? new Map<string, unknown>();
      values.set(profileId, vals);
      for (const spec of audience.hidden) {
        const state = byTrait.get(spec.id);
        if (!state) continue;
        prune(spec, state, now);
        if (!isEmpty(spec, state)) vals.set(spec.id, traitValue(spec, state));
      }
    }
  }
  const [traits, members] = await Promise.all([
    repo.profileTraits(deps.db, sample),
    repo.membershipsOf(deps.db, sample),
  ]);
  const memberSets = new Map<string, Set<string>>();
  for (const m of members)
    memberSets.set(m.profile_id, (memberSets.get(m.profile_id) ?? new Set()).add(m.audience_id));
  let matched = 0;
  for (const id of sample) {
    const facts: ProfileFacts = {
      traits: traits.get(id) ?? {},
      values: values.get(id) ?? new Map(),
      members: memberSets.get(id) ?? new Set(),
      accounts: [],
    };
    if (evaluate(audience.compiled, facts, model.defaults)) matched++;
  }
  const n = sample.length;
  const exact = k >= buckets;
  const p = n === 0 ? 0 : matched / n;
  const [lo, hi] = exact ? [p, p] : wilson(matched, n);
  return {
    estimate: exact ? matched : Math.round(p * total),
    low: exact ? matched : Math.floor(lo * total),
    high: exact ? matched : Math.ceil(hi * total),
    sampled: n,
    matched,
    totalProfiles: total,
    exact,
    tookMs: Math.round(performance.now() - started),
  };
}

function wilson(hits: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = hits / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const margin = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - margin), Math.min(1, centre + margin)];
}
