import {
  type AggregateEvent,
  applyEvent,
  emptyState,
  prune,
  type TraitSpec,
  type TraitState,
  traitValue,
} from '../audiences/index.js';
import type { FeatureSet } from './features.js';
import type { Db } from './prediction.repository.js';

/** Aggregations whose value is a number a linear model can weigh. */
const numeric = new Set(['count', 'sum', 'avg', 'min', 'max', 'unique_count']);
/** Enough to carry the signals people define, few enough to keep training fast and stable. */
const maxTraits = 12;
/** Profiles whose events are folded per query: bounds memory whatever the history size. */
const profilesPerQuery = 500;

interface NumericTrait {
  key: string;
  spec: Extract<TraitSpec, { kind: 'aggregate' }>;
}

/** The numeric computed traits that can become features (or the ones a stored model used). */
async function numericTraits(db: Db, keys?: string[]): Promise<NumericTrait[]> {
  let query = db
    .selectFrom('audience_traits')
    .select(['key', 'spec'])
    .where('status', '=', 'ready')
    .orderBy('key');
  if (keys) {
    if (keys.length === 0) return [];
    query = query.where('key', 'in', keys);
  }
  const rows = await query.execute();
  const traits = rows
    .map((r) => ({ key: r.key, spec: JSON.parse(r.spec) as TraitSpec }))
    .filter(
      (t): t is NumericTrait => t.spec.kind === 'aggregate' && numeric.has(t.spec.aggregation),
    );
  return keys ? traits : traits.slice(0, maxTraits);
}

/** Signed log scale: counts and amounts span orders of magnitude. */
const scaled = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.sign(v) * Math.log1p(Math.abs(v)) : 0;

/**
 * Computed traits as of `asOf`, per profile: each trait is folded from the profile's events
 * before `asOf` with the same incremental aggregates streaming uses, and rolling windows are
 * measured back from `asOf`. Training therefore sees what the trait was at the cutoff, never
 * the value the label window later changed (no leakage), and scoring sees today's value.
 */
export async function computedTraitValuesAsOf(
  db: Db,
  asOf: Date,
  profileIds: string[],
  keys?: string[],
): Promise<{ keys: string[]; values: Map<string, number[]> }> {
  const traits = await numericTraits(db, keys);
  const values = new Map<string, number[]>();
  if (traits.length === 0 || profileIds.length === 0) {
    return { keys: traits.map((t) => t.key), values };
  }
  const now = asOf.getTime();
  // Only events some trait can match are read; a trait without an event name matches all.
  const names = traits.every((t) => t.spec.event !== undefined)
    ? [...new Set(traits.map((t) => t.spec.event as string))]
    : undefined;
  for (let i = 0; i < profileIds.length; i += profilesPerQuery) {
    const chunk = profileIds.slice(i, i + profilesPerQuery);
    const query = db
      .selectFrom('identity_profile_events as pe')
      .innerJoin('events as e', 'e.seq', 'pe.seq')
      .select(['pe.profile_id', 'e.seq', 'e.type', 'e.event', 'pe.timestamp', 'e.payload'])
      .where('pe.profile_id', 'in', chunk)
      .where('pe.timestamp', '<', asOf.toISOString())
      .where('e.type', '=', 'track')
      .orderBy('pe.profile_id')
      .orderBy('pe.timestamp')
      .orderBy('e.seq');
    // Event names are filtered here rather than in SQL: with an event-name condition SQLite's
    // planner walks every matching event of the store for each chunk instead of the chunk's
    // own timeline.
    const wanted = names ? new Set(names) : undefined;
    const rows = (await query.execute()).filter(
      (r) => !wanted || (r.event !== null && wanted.has(r.event)),
    );
    let current: string | undefined;
    let states: TraitState[] = [];
    const finish = () => {
      if (current === undefined) return;
      values.set(
        current,
        traits.map((t, k) => {
          const state = states[k] as TraitState;
          prune(t.spec, state, now);
          return scaled(traitValue(t.spec, state));
        }),
      );
    };
    for (const row of rows) {
      if (row.profile_id !== current) {
        finish();
        current = row.profile_id;
        states = traits.map((t) => emptyState(t.spec));
      }
      const payload = JSON.parse(row.payload) as { properties?: Record<string, unknown> };
      const event: AggregateEvent = {
        seq: Number(row.seq),
        type: row.type,
        event: row.event,
        at: Date.parse(row.timestamp),
        properties: payload.properties ?? {},
      };
      for (const [k, t] of traits.entries())
        applyEvent(t.spec, states[k] as TraitState, event, now);
    }
    finish();
  }
  return { keys: traits.map((t) => t.key), values };
}

/** Feature name of a computed trait. */
export const computedFeatureName = (key: string) => `computed:${key}`;

/**
 * Appends computed-trait features to a feature set (profiles without a matching event get the
 * trait's empty value). `keys` pins the traits a stored model was fitted on.
 */
export async function withComputedTraits(
  db: Db,
  asOf: Date,
  features: FeatureSet,
  keys?: string[],
): Promise<FeatureSet & { computedTraits: string[] }> {
  const computed = await computedTraitValuesAsOf(
    db,
    asOf,
    features.rows.map((r) => r.profileId),
    keys,
  );
  // A pinned trait deleted since training scores as its empty value rather than failing.
  const order = keys ?? computed.keys;
  const index = order.map((k) => computed.keys.indexOf(k));
  return {
    names: [...features.names, ...order.map(computedFeatureName)],
    eventNames: features.eventNames,
    computedTraits: order,
    rows: features.rows.map((r) => {
      const found = computed.values.get(r.profileId);
      return {
        profileId: r.profileId,
        values: [...r.values, ...index.map((k) => (k < 0 || !found ? 0 : (found[k] as number)))],
      };
    }),
  };
}
